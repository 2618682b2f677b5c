# grading: what `make grade LAB=N` runs for each lab, and the points (tools/grade).
#
# An item is one check worth some points:
#   ('unit', PROGRAM, CASE)      one cmocka test case of build/tests/PROGRAM
#   ('host', ARGS)               build/spanlab-host ARGS: exit 0 and every CHECK passes
#   ('qemu', CMDLINE, KIND, ARG) one boot of the image (shared by the lab's items with
#                                that command line); KIND: 'exit0' (the kernel's verdict
#                                is success), 'line' (a line containing ARG), 'regex'
#                                (a line matching ARG), 'count>=' (ARG = (regex, n))
# Only lab 1 boots QEMU; the others are host programs.

VM = 'selftest=vm quit=1'
PAGES = 'PAGES range=selftest-vm reserved=262144 '

LABS = {
    1: {
        'title': 'demand-zero page faults and lazy-free reclaim (kernel/vm_fault.c)',
        'items': [
            (3, ('qemu', VM, 'exit0', None), 'selftest=vm boots and passes (exit status)'),
            (3, ('qemu', VM, 'regex', r'^selftest vm: PASS'), 'selftest vm: PASS'),
            (1, ('qemu', VM, 'line', PAGES + 'committed=0 resident=0 lazyfree=0'),
             'reserved only: nothing resident'),
            (1, ('qemu', VM, 'line', PAGES + 'committed=65536 resident=0 lazyfree=0'),
             'committed: still nothing resident'),
            (2, ('qemu', VM, 'line', PAGES + 'committed=65536 resident=21846 lazyfree=0'),
             'every third page touched: 21846 resident'),
            (1, ('qemu', VM, 'line', PAGES + 'committed=32768 resident=10923 lazyfree=0'),
             'dontneed drops frames'),
            (1, ('qemu', VM, 'line', PAGES + 'committed=0 resident=10923 lazyfree=10923'),
             'free keeps frames, lazily'),
            (3, ('qemu', VM, 'count>=',
                 (r'check: counters exact, page tables agree, .* agree$', 7)),
             'counters agree with the page tables at all 7 steps'),
            (3, ('qemu', VM, 'regex', r'reclaimed [1-9][0-9]* lazy frames'),
             'low memory reclaims lazily freed frames'),
        ],
    },
    2: {
        'title': 'the page allocator: first fit over chunk summaries (mm/pagealloc.c)',
        'items': [
            (8, ('unit', 'pagealloc_test', 'pagealloc_chunk_summaries_describe_free_runs'), None),
            (4, ('unit', 'pagealloc_test', 'pagealloc_finds_lowest_run_and_never_overlaps'), None),
            (3, ('unit', 'pagealloc_test', 'pagealloc_scavenged_pages_are_released_and_recommitted'), None),
            (3, ('unit', 'pagealloc_test', 'pagealloc_large_runs_span_chunks_and_grow'), None),
            (3, ('unit', 'heap_alloc_test', 'heap_random_alloc_free_matches_model'), None),
            (2, ('unit', 'heap_alloc_test', 'heap_growth_extends_the_free_tail'), None),
            (1, ('unit', 'heap_alloc_test', 'heap_span_of_rejects_non_heap_and_free_pages'), None),
            (2, ('unit', 'heap_page_counts_test', 'heap_page_counts_match_linux_exactly'), None),
            (2, ('host', 'run=5'), 'bug 5 runs and its checks pass'),
        ],
    },
    3: {
        'title': 'size classes, roundupsize and growslice (mm/sizeclass.c, golib/slice.c)',
        'items': [
            (3, ('unit', 'sizeclass_test', 'sizeclass_maps_size_to_smallest_fitting_class'), None),
            (3, ('unit', 'slice_test', 'append_capacities_agree_with_go119_for_many_element_sizes'), None),
            (2, ('unit', 'slice_test', 'append_from_nil_8byte_caps_match_go119'), None),
            (2, ('unit', 'slice_test', 'append_from_nil_1byte_caps_match_go119'), None),
            (3, ('unit', 'slice_test', 'growslice_rule_doubles_below_256_then_grows_by_quarter_plus_192'), None),
            (1, ('unit', 'slice_test', 'reallocs_and_bytes_copied_are_measured_at_the_allocator'), None),
            (1, ('unit', 'slice_test', 'append_within_capacity_does_not_allocate'), None),
            (1, ('unit', 'slice_test', 'three_index_reslice_forces_append_to_copy'), None),
            (1, ('unit', 'slice_test', 'grown_pointer_slice_survives_gc'), None),
            (3, ('host', 'run=12'), 'bug 12 (append growth): every check passes'),
        ],
    },
    4: {
        'title': 'mark and sweep (rt/gc_mark.c, mm/sweep.c)',
        'items': [
            (2, ('unit', 'gc_mark_test', 'gc_frees_unreachable_cycle'), None),
            (1, ('unit', 'gc_mark_test', 'gc_registered_global_keeps_object'), None),
            (1, ('unit', 'gc_mark_test', 'gc_typed_root_follows_only_pointer_words'), None),
            (1, ('unit', 'gc_mark_test', 'gc_keeps_object_via_interior_stack_pointer'), None),
            (2, ('unit', 'gc_mark_test', 'gc_never_follows_noscan_contents'), None),
            (2, ('unit', 'gc_mark_test', 'gc_counts_pointer_slots_and_words'), None),
            (1, ('unit', 'gc_mark_test', 'gc_worklist_overflow_still_marks_everything'), None),
            (4, ('unit', 'gc_random_test', 'gc_random_graphs_match_reachability_model'), None),
            (2, ('unit', 'gc_random_test', 'gc_random_graphs_with_poison_and_stress'), None),
            (2, ('unit', 'heap_sweep_test', 'sweep_frees_unmarked_and_keeps_marked'), None),
            (2, ('unit', 'heap_sweep_test', 'sweep_returns_empty_spans_and_reuses_swept_ones'), None),
            (2, ('unit', 'heap_sweep_test', 'sweep_random_cycles_keep_stats_exact'), None),
            (2, ('unit', 'gc_debug_test', 'gc_selftest_passes_hosted'), 'selftest=gc with gcverify'),
            (1, ('unit', 'gc_debug_test', 'gc_verify_catches_dangling_pointer'), None),
        ],
    },
    5: {
        'title': 'the scavenger and the two release modes (mm/scavenge.c, mm/pagealloc.c)',
        'items': [
            (3, ('unit', 'heap_scavenge_test', 'scavenge_releases_free_pages_in_the_page_layer'), None),
            (3, ('unit', 'heap_scavenge_test', 'scavenge_tick_works_toward_the_goal'), None),
            (2, ('unit', 'heap_scavenge_test', 'scavenge_assist_keeps_allocation_under_the_memory_limit'), None),
            (2, ('unit', 'pagealloc_test', 'pagealloc_scavenged_pages_are_released_and_recommitted'), None),
            (2, ('unit', 'gc_debug_test', 'gc_free_os_memory_collects_then_releases'), None),
            (2, ('unit', 'heap_page_counts_test', 'heap_page_counts_match_linux_exactly'), None),
            (3, ('host', 'run=13'), 'bug 13 (FreeOSMemory), madv=dontneed: every check passes'),
            (3, ('host', 'run=13 madv=free'), 'bug 13 with madv=free: every check passes'),
        ],
    },
    6: {
        'title': "the pacer's goal and trigger (rt/pacer.c)",
        'items': [
            (2, ('unit', 'pacer_test', 'pacer_first_goal_is_heap_minimum'), None),
            (3, ('unit', 'pacer_test', 'pacer_gogc_goal_counts_stacks_and_globals'), None),
            (2, ('unit', 'pacer_test', 'pacer_gogc_off_and_zero'), None),
            (3, ('unit', 'pacer_test', 'pacer_memory_limit_lowers_goal'), None),
            (2, ('unit', 'pacer_test', 'pacer_memory_limit_overage_and_floors'), None),
            (2, ('unit', 'pacer_test', 'pacer_min_runway_and_sweep_distance'), None),
            (2, ('unit', 'pacer_test', 'pacer_runway_bounds_trigger'), None),
            (2, ('unit', 'gc_debug_test', 'gc_gogc_paces_collections_to_goal'), None),
            (2, ('unit', 'gc_debug_test', 'gc_memory_limit_below_live_heap_is_limited'), None),
            (3, ('host', 'run=9'), 'bug 9 (GOMEMLIMIT and a preallocated heap): every check passes'),
        ],
    },
    7: {
        'title': 'the 4-ary timer heap (rt/timer.c)',
        'items': [
            (5, ('unit', 'timer_test', 'heap_is_four_ary_and_sifts_like_go'), None),
            (4, ('unit', 'timer_test', 'random_add_delete_modify_matches_a_model'), None),
            (2, ('unit', 'timer_test', 'timers_fire_in_deadline_order'), None),
            (2, ('unit', 'timer_test', 'afterfunc_timers_run_in_deadline_order'), None),
            (1, ('unit', 'timer_test', 'timers_fire_at_scheduling_points_while_busy'), None),
            (2, ('unit', 'timer_test', 'stop_removes_timer_from_heap_and_fired_timers_leave_it'), None),
            (1, ('unit', 'timer_test', 'ticker_drops_ticks_when_channel_is_full'), None),
            (1, ('unit', 'timer_test', 'sleep_and_after_wake_through_the_idle_loop'), None),
            (1, ('unit', 'timer_test', 'leaked_tickers_stay_in_heap_and_are_counted'), None),
            (3, ('host', 'run=18'), 'bug 18 (leaked tickers): every check passes'),
        ],
    },
}


def max_points(lab):
    return sum(p for p, _, _ in LABS[lab]['items'])

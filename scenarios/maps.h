// The residency maps of a variant's heap arenas, on its scenario's scale and
// marked with the largest live objects' allocation sites (scenarios/maps.c).
#ifndef SPANLAB_SC_MAPS_H
#define SPANLAB_SC_MAPS_H

#include <stddef.h>
#include "scenarios/runner_internal.h"

// Pages per map cell for every variant of s: the smallest power of two that fits
// s's RAM need (at scale=) in 16 rows of 64 cells, so buggy and fixed line up.
size_t sc_map_cell_pages(const sc_scenario_t *s);

// Prints the maps of every heap arena of r's variant (the heap is still alive),
// their mark legend, and the MAP, MAPKEY and OBJ machine lines.
void sc_report_maps(const sc_run_t *r);

#endif

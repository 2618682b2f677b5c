// select over several channel cases, after Go's runtime/select.go: a random poll
// order (so no ready case starves), then, when none is ready and there is no
// default, one sudog per case on every channel and a single park.
//
//   sel_case_t cs[2] = {{.c = data, .elem = &v}, {.c = done}};
//   switch (sel_select(cs, 2, true)) { case 0: ...; case 1: return; }
#ifndef SPANLAB_RT_SELECT_H
#define SPANLAB_RT_SELECT_H

#include <stdbool.h>
#include "rt/chan.h"

#define SEL_MAX_CASES 64

typedef struct sel_case {
    chan_t *c;  // nil channels are never ready
    void *elem; // send: the value; receive: where it goes (NULL discards)
    bool send;  // true: c <- *elem; false: receive
    bool ok;    // receive: set to false when the value came from a close
} sel_case_t;

// Runs one select: returns the index of the case that proceeded, or -1 when none
// could and block is false (a select with a default case). Chooses uniformly at
// random among ready cases. A select with no channels and block blocks forever.
// Panics when a chosen send case's channel is closed, or n > SEL_MAX_CASES.
int sel_select(sel_case_t *cases, int n, bool block);

#endif

// Bug 17: json.Unmarshal into a reused struct keeps what the new message omits
// (scenarios/bug17_json_reuse.c). The original text's Doc, Notes and Pipeline;
// fixed is the text's fix (d := Doc{} per message). The input is spanlab's: 40
// messages, the first with 200 tags and a 256 KiB Notes.Body, the others with
// 2 tags and no Notes, one []byte sliced per message. The text's process is
// empty; spanlab's keeps a copy of the last Doc it saw ("if process retains
// anything ..."), and so does this one. After the pipeline the input is
// dropped and runtime.GC() shows what the kept Doc still holds.
package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
)

const bug17Messages = 40
const bug17FirstTags = 200
const bug17BodyBytes = 256 * 1024

type Doc struct {
	ID    string
	Tags  []string
	Notes *Notes
}

type Notes struct{ Body string }

// Pipeline reuses one Doc to avoid per-message allocation. Or so we thought.
func Pipeline(messages [][]byte) {
	var d Doc
	for _, raw := range messages {
		if err := json.Unmarshal(raw, &d); err != nil {
			continue
		}
		process(d)
	}
}

// PipelineFresh is the fix.
func PipelineFresh(messages [][]byte) {
	for _, raw := range messages {
		d := Doc{} // fresh per iteration; let escape analysis decide stack vs heap
		if err := json.Unmarshal(raw, &d); err != nil {
			continue
		}
		process(d)
	}
}

var processed Doc

func process(d Doc) { processed = d }

// bug17Messages makes spanlab's input: one buffer, a slice per message.
func bug17Input() [][]byte {
	var raw []byte
	var ends []int
	for m := 0; m < bug17Messages; m++ {
		raw = append(raw, fmt.Sprintf(`{"ID":"msg-%d","Tags":[`, m)...)
		tags := 2
		if m == 0 {
			tags = bug17FirstTags
		}
		for t := 0; t < tags; t++ {
			if t > 0 {
				raw = append(raw, ',')
			}
			raw = append(raw, fmt.Sprintf(`"tag-%d-%d-padding-to-make-it-longer"`, m, t)...)
		}
		raw = append(raw, ']')
		if m == 0 {
			raw = append(raw, `,"Notes":{"Body":"`+strings.Repeat("x", bug17BodyBytes)+`"}`...)
		}
		raw = append(raw, '}')
		ends = append(ends, len(raw))
	}
	messages := make([][]byte, bug17Messages)
	start := 0
	for m, end := range ends {
		messages[m] = raw[start:end]
		start = end
	}
	return messages
}

func bug17(pipeline func([][]byte)) func() func() {
	return func() func() {
		messages := bug17Input()
		pipeline(messages)
		messages = nil // the input is gone; what stays is what the Doc holds
		stale := 0
		last := processed
		for _, t := range last.Tags[len(last.Tags):cap(last.Tags)] {
			if len(t) > 0 {
				stale++
			}
		}
		retained := heapAllocAfterGC()
		key("messages", bug17Messages)
		staleNotes := int64(0)
		if last.Notes != nil {
			staleNotes = 1
		}
		key("stale_notes", staleNotes)
		key("tags_len", int64(len(last.Tags)))
		key("tags_cap", int64(cap(last.Tags)))
		key("stale_elements", int64(stale))
		key("retained_bytes", int64(retained))
		runtime.KeepAlive(messages)
		return nil
	}
}

func init() {
	register(17,
		variant{name: "buggy", run: bug17(Pipeline)},
		variant{name: "fixed", run: bug17(PipelineFresh)},
	)
}

// Prints JSON decoding cases with Go 1.19's own results for tests/unit/json_test.c,
// which runs this program and compares spanlab's json_decode case by case. Each case
// decodes a fixed first document into a T, then the case's input into the same T
// (encoding/json's reuse semantics), and describes the final state, backing arrays
// up to their capacity included. One line per case: the input and the description,
// both hex-encoded.
package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

type Notes struct{ A, B string }

type T struct {
	Name  string
	Tags  []string
	Notes *Notes
	N     int
	OK    bool
	Ids   []int
	Inner Notes
}

const first = `{"Name":"first","Tags":["a","b","c","d","e"],"Notes":{"A":"x","B":"y"},"N":5,"OK":true,"Ids":[1,2,3],"Inner":{"A":"i"}}`

func h(s string) string { return hex.EncodeToString([]byte(s)) }

// describe prints the state; the C side builds the same text.
func describe(t *T, err error) string {
	var b strings.Builder
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		b.WriteString("ok")
	case errors.As(err, &se):
		fmt.Fprintf(&b, "S:%d:%s", se.Offset, se.Error())
	case errors.As(err, &te):
		fmt.Fprintf(&b, "T:%d:%s", te.Offset, te.Error())
	default:
		fmt.Fprintf(&b, "E:%s", err.Error())
	}
	fmt.Fprintf(&b, ";Name=%s", h(t.Name))
	if t.Tags == nil {
		b.WriteString(";Tags=nil")
	} else {
		fmt.Fprintf(&b, ";Tags=%d/%d:", len(t.Tags), cap(t.Tags))
		for _, s := range t.Tags[:cap(t.Tags)] {
			fmt.Fprintf(&b, "%s,", h(s))
		}
	}
	if t.Notes == nil {
		b.WriteString(";Notes=nil")
	} else {
		fmt.Fprintf(&b, ";Notes=%s,%s", h(t.Notes.A), h(t.Notes.B))
	}
	fmt.Fprintf(&b, ";N=%d;OK=%t", t.N, t.OK)
	if t.Ids == nil {
		b.WriteString(";Ids=nil")
	} else {
		fmt.Fprintf(&b, ";Ids=%d/%d:", len(t.Ids), cap(t.Ids))
		for _, v := range t.Ids[:cap(t.Ids)] {
			fmt.Fprintf(&b, "%d,", v)
		}
	}
	fmt.Fprintf(&b, ";Inner=%s,%s", h(t.Inner.A), h(t.Inner.B))
	return b.String()
}

func run(in string) {
	var t T
	if err := json.Unmarshal([]byte(first), &t); err != nil {
		panic(err)
	}
	err := json.Unmarshal([]byte(in), &t)
	fmt.Printf("%s %s\n", h(in), h(describe(&t, err)))
}

func main() {
	fixed := []string{
		`{}`, `null`, `{"Name":"b","Tags":["z"],"Notes":{"A":"q"}}`, `{"Tags":[]}`,
		`{"Tags":null,"Notes":null,"Ids":null}`, `{"Tags":["1","2","3","4","5","6","7"]}`,
		`{"Ids":[9,8,7,6,5,4,3,2,1,0]}`, `{"Ids":[1,"a",3]}`, `{"N":"str"}`, `{"N":1.5}`,
		`{"N":1e2}`, `{"N":-0}`, `{"N":99999999999999999999}`, `{"N":-9223372036854775808}`,
		`{"OK":false}`, `{"OK":"yes"}`, `{"Tags":"str"}`, `{"Tags":{"a":1}}`, `{"Notes":[1]}`,
		`{"Notes":{"A":[1]}}`, `{"Inner":{"B":"w"}}`, `{"Inner":null}`, `{"name":"fold"}`,
		`{"NAME":"fold","name":"second"}`, `{"Name":"a\nb\u00e9\ud83d\ude00"}`,
		`{"Name":"\ud800x"}`, `{"Name":"a` + "\xff" + `b"}`, `{"Name":"h` + "\xc3\xa9" + `llo"}`,
		`{"N\u0061me":"escaped key"}`, `{"Name":"x","Name":"y"}`, `{"Extra":{"deep":[1,{"x":"]"}]},"N":7}`,
		`[1,2]`, `"str"`, `123`, `{"Name":"b","Tags":[1,}`, `{"Name":"b"`, `{"a" 1}`, `[1 2]`,
		`{"N":tru}`, `{} x`, `{"Name":"\x"}`, `{"Name":"\u12g4"}`, `{"N":01}`, `{"N":1.}`,
		`{"N":1e}`, `{"N":-}`, `{,}`, `{"a":1,}`, `[1,]`, "{\"Name\":\"a\x01\"}", ``, ` `,
		`{"Tags":[null,"x"]}`, `{"Ids":[null,5]}`, `{"Tags":["only"],"Ids":[]}`,
	}
	for _, in := range fixed {
		run(in)
	}
	// Random mutations of a document, as json_random_mutations_never_crash does.
	base := `{"Name":"a\"b","Tags":["x","y"],"Notes":{"A":"q"},"N":-12,"OK":false,"Ids":[1,2,3],"Inner":{"B":"w"}}`
	alphabet := "{}[]\",:\\ 0123456789-+.eEtrufalsn"
	r := uint64(12345)
	for it := 0; it < 400; it++ {
		buf := []byte(base)
		n := len(buf)
		for k := 0; k < 1+it%3; k++ {
			r ^= r << 13
			r ^= r >> 7
			r ^= r << 17
			pos := int(r % uint64(n))
			buf[pos] = alphabet[(r>>20)%uint64(len(alphabet))]
		}
		run(string(buf[:n]))
	}
}

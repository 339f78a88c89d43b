// The reference for dingbot's Go templates: renders prometheus-webhook-dingtalk's
// templates over a notification with Go's own text/template, as its FromGlobs and
// ExecuteTextString do, and prints {"title": ..., "text": ...}.
//
// Standard library only: the data types are Alertmanager's template data as
// prometheus-webhook-dingtalk declares them (pkg/models), and the functions its
// templates use (its own toUpper/toLower/markdown, and the sprig functions the fixtures
// call) are written here as sprig v3 defines them.
//
// Usage: render -builtin default.tmpl [-files a.tmpl,b.tmpl] -title T -text X
//
//	-data notification.json [-mobiles 138...,139...]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/template"
	"time"
)

type Pair struct{ Name, Value string }

type Pairs []Pair

func (ps Pairs) Names() []string {
	ns := make([]string, 0, len(ps))
	for _, p := range ps {
		ns = append(ns, p.Name)
	}
	return ns
}

func (ps Pairs) Values() []string {
	vs := make([]string, 0, len(ps))
	for _, p := range ps {
		vs = append(vs, p.Value)
	}
	return vs
}

type KV map[string]string

func (kv KV) SortedPairs() Pairs {
	var (
		pairs     = make([]Pair, 0, len(kv))
		keys      = make([]string, 0, len(kv))
		sortStart = 0
	)
	for k := range kv {
		if k == "alertname" {
			keys = append([]string{k}, keys...)
			sortStart = 1
		} else {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys[sortStart:])
	for _, k := range keys {
		pairs = append(pairs, Pair{k, kv[k]})
	}
	return pairs
}

func (kv KV) Remove(keys []string) KV {
	keySet := make(map[string]struct{}, len(keys))
	for _, k := range keys {
		keySet[k] = struct{}{}
	}
	res := KV{}
	for k, v := range kv {
		if _, ok := keySet[k]; !ok {
			res[k] = v
		}
	}
	return res
}

func (kv KV) Names() []string  { return kv.SortedPairs().Names() }
func (kv KV) Values() []string { return kv.SortedPairs().Values() }

type Alert struct {
	Status       string    `json:"status"`
	Labels       KV        `json:"labels"`
	Annotations  KV        `json:"annotations"`
	StartsAt     time.Time `json:"startsAt"`
	EndsAt       time.Time `json:"endsAt"`
	GeneratorURL string    `json:"generatorURL"`
	Fingerprint  string    `json:"fingerprint"`
}

type Alerts []Alert

func (as Alerts) Firing() []Alert {
	res := []Alert{}
	for _, a := range as {
		if a.Status == "firing" {
			res = append(res, a)
		}
	}
	return res
}

func (as Alerts) Resolved() []Alert {
	res := []Alert{}
	for _, a := range as {
		if a.Status == "resolved" {
			res = append(res, a)
		}
	}
	return res
}

type Data struct {
	Receiver          string `json:"receiver"`
	Status            string `json:"status"`
	Alerts            Alerts `json:"alerts"`
	GroupLabels       KV     `json:"groupLabels"`
	CommonLabels      KV     `json:"commonLabels"`
	CommonAnnotations KV     `json:"commonAnnotations"`
	ExternalURL       string `json:"externalURL"`
	AtMobiles         []string
}

func markdown(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c == '_' || c == '*' || c == '`' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sprig's strval.
func strval(v interface{}) string {
	switch v := v.(type) {
	case string:
		return v
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprintf("%v", v)
	}
}

// sprig's empty.
func empty(given interface{}) bool {
	switch v := given.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case bool:
		return !v
	case int:
		return v == 0
	case []string:
		return len(v) == 0
	case []interface{}:
		return len(v) == 0
	}
	return false
}

func toInt64(v interface{}) int64 {
	switch v := v.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case float64:
		return int64(v)
	}
	return 0
}

func strslice(v interface{}) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []interface{}:
		out := []string{}
		for _, s := range v {
			if s != nil {
				out = append(out, strval(s))
			}
		}
		return out
	}
	return []string{strval(v)}
}

func formatDate(fmtStr string, date interface{}, zone string) string {
	t, ok := date.(time.Time)
	if !ok {
		t = time.Now()
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc, _ = time.LoadLocation("UTC")
	}
	return t.In(loc).Format(fmtStr)
}

var funcs = template.FuncMap{
	// prometheus-webhook-dingtalk's own.
	"toUpper":  strings.ToUpper,
	"toLower":  strings.ToLower,
	"markdown": markdown,
	// sprig's, as sprig v3 defines them.
	"upper":      strings.ToUpper,
	"lower":      strings.ToLower,
	"title":      strings.Title,
	"trim":       strings.TrimSpace,
	"trimSuffix": func(a, b string) string { return strings.TrimSuffix(b, a) },
	"replace":    func(o, n, s string) string { return strings.Replace(s, o, n, -1) },
	"contains":   func(substr, str string) bool { return strings.Contains(str, substr) },
	"hasPrefix":  func(substr, str string) bool { return strings.HasPrefix(str, substr) },
	"quote": func(str ...interface{}) string {
		out := make([]string, 0, len(str))
		for _, s := range str {
			if s != nil {
				out = append(out, fmt.Sprintf("%q", strval(s)))
			}
		}
		return strings.Join(out, " ")
	},
	"squote": func(str ...interface{}) string {
		out := make([]string, 0, len(str))
		for _, s := range str {
			if s != nil {
				out = append(out, fmt.Sprintf("'%v'", s))
			}
		}
		return strings.Join(out, " ")
	},
	"join": func(sep string, v interface{}) string { return strings.Join(strslice(v), sep) },
	"default": func(d interface{}, given ...interface{}) interface{} {
		if len(given) == 0 || empty(given[0]) {
			return d
		}
		return given[0]
	},
	"list": func(v ...interface{}) []interface{} { return v },
	"dict": func(v ...interface{}) map[string]interface{} {
		dict := map[string]interface{}{}
		for i := 0; i < len(v); i += 2 {
			key := strval(v[i])
			if i+1 >= len(v) {
				dict[key] = ""
				continue
			}
			dict[key] = v[i+1]
		}
		return dict
	},
	"get": func(d map[string]interface{}, key string) interface{} {
		if val, ok := d[key]; ok {
			return val
		}
		return ""
	},
	"add": func(i ...interface{}) int64 {
		var a int64
		for _, b := range i {
			a += toInt64(b)
		}
		return a
	},
	"date":       func(fmt string, date interface{}) string { return formatDate(fmt, date, "Local") },
	"dateInZone": formatDate,
}

func main() {
	builtin := flag.String("builtin", "", "prometheus-webhook-dingtalk's default.tmpl")
	files := flag.String("files", "", "template files, comma-separated")
	title := flag.String("title", "", "the title template")
	text := flag.String("text", "", "the text template")
	dataPath := flag.String("data", "", "the notification")
	mobiles := flag.String("mobiles", "", "the target's mention.mobiles, comma-separated")
	flag.Parse()

	tmpl := template.New("").Option("missingkey=zero").Funcs(funcs)
	body, err := os.ReadFile(*builtin)
	check(err)
	_, err = tmpl.Parse(string(body))
	check(err)
	for _, f := range strings.Split(*files, ",") {
		if f != "" {
			_, err = tmpl.ParseFiles(f)
			check(err)
		}
	}
	raw, err := os.ReadFile(*dataPath)
	check(err)
	var data Data
	check(json.Unmarshal(raw, &data))
	for _, m := range strings.Split(*mobiles, ",") {
		if m != "" {
			data.AtMobiles = append(data.AtMobiles, m)
		}
	}
	render := func(source string) string {
		if source == "" {
			return ""
		}
		t, err := tmpl.Clone()
		check(err)
		t, err = t.New("").Option("missingkey=zero").Parse(source)
		check(err)
		var buf bytes.Buffer
		check(t.Execute(&buf, &data))
		return buf.String()
	}
	out, err := json.Marshal(map[string]string{"title": render(*title), "text": render(*text)})
	check(err)
	os.Stdout.Write(out)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

package sql

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// strMoreFunc binds one of planner/expr/strmore.go's operators: argument
// kinds ('s' VARCHAR, 'i' BIGINT, 'd' DOUBLE), the defaults of the trailing
// optional ones (nil: required) and the result type.
type strMoreFunc struct {
	op   expr.Op
	args string
	defs []*expr.Const
	res  coldata.Type
}

func i64Const(v int64) *expr.Const {
	return &expr.Const{Val: coldata.Datum{I: v}, Typ: coldata.TypeInt64}
}

var strMoreFuncs = map[string]strMoreFunc{
	"levenshtein":             {expr.OpLevenshtein, "ss", nil, coldata.TypeInt64},
	"editdist3":               {expr.OpLevenshtein, "ss", nil, coldata.TypeInt64},
	"damerau_levenshtein":     {expr.OpDamerauLev, "ss", nil, coldata.TypeInt64},
	"jaro_similarity":         {expr.OpJaro, "ssd", []*expr.Const{{Val: coldata.Datum{F: 0}, Typ: coldata.TypeFloat64}}, coldata.TypeFloat64},
	"jaro_winkler_similarity": {expr.OpJaroWinkler, "ssd", []*expr.Const{{Val: coldata.Datum{F: 0}, Typ: coldata.TypeFloat64}}, coldata.TypeFloat64},
	"jaccard":                 {expr.OpJaccard, "ss", nil, coldata.TypeFloat64},
	"hamming":                 {expr.OpHamming, "ss", nil, coldata.TypeInt64},
	"mismatches":              {expr.OpHamming, "ss", nil, coldata.TypeInt64},
	"translate":               {expr.OpTranslate, "sss", nil, coldata.TypeString},
	"unicode":                 {expr.OpUnicode, "s", nil, coldata.TypeInt32},
	"ord":                     {expr.OpUnicode, "s", nil, coldata.TypeInt32},
	"bit_length":              {expr.OpBitLength, "s", nil, coldata.TypeInt64},
	"regexp_escape":           {expr.OpRegexpEscape, "s", nil, coldata.TypeString},
	"format_bytes":            {expr.OpFormatBytes, "ii", []*expr.Const{i64Const(1024)}, coldata.TypeString},
	"pg_size_pretty":          {expr.OpFormatBytes, "ii", []*expr.Const{i64Const(1024)}, coldata.TypeString},
	"to_base":                 {expr.OpToBase, "iii", []*expr.Const{i64Const(0)}, coldata.TypeString},
	"bar":                     {expr.OpBar, "dddi", []*expr.Const{i64Const(80)}, coldata.TypeString},
	"length_grapheme":         {expr.OpLengthGrapheme, "s", nil, coldata.TypeInt64},
	"substring_grapheme":      {expr.OpSubstringGrapheme, "sii", []*expr.Const{i64Const(math.MaxInt64)}, coldata.TypeString},
	"strlen":                  {expr.OpStrlen, "s", nil, coldata.TypeInt64},
	"reverse":                 {expr.OpReverseGrapheme, "s", nil, coldata.TypeString},
	"left_grapheme":           {expr.OpLeftGrapheme, "si", nil, coldata.TypeString},
	"right_grapheme":          {expr.OpRightGrapheme, "si", nil, coldata.TypeString},
}

// strMoreFunction binds the functions of strMoreFuncs; ok is false for
// other names. A wrong number of arguments fails like DuckDB's overload
// resolution.
func strMoreFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	if x, ok, err := regexpListFunction(e, name, args); ok {
		return x, ok, err
	}
	if x, ok, err := printfFunction(e, name, args); ok {
		return x, ok, err
	}
	if x, ok, err := pathFunction(e, name, args); ok {
		return x, ok, err
	}
	f, ok := strMoreFuncs[name]
	if !ok {
		return nil, false, nil
	}
	lo := len(f.args) - len(f.defs)
	if len(args) < lo || len(args) > len(f.args) {
		return nil, true, noMatchingFunction(e, name, args)
	}
	out := make([]expr.Expr, len(f.args))
	for i := range f.args {
		var a expr.Expr
		if i < len(args) {
			a = args[i]
		} else {
			a = f.defs[i-lo]
		}
		t := map[byte]coldata.Type{'s': coldata.TypeString, 'i': coldata.TypeInt64, 'd': coldata.TypeFloat64}[f.args[i]]
		if p, ok := a.(*expr.Param); ok {
			p.Typ = t
		}
		if at := a.Type(); f.args[i] != 's' && at.ID == coldata.String && !isConstExpr(a) {
			return nil, true, noMatchingFunction(e, name, args)
		}
		x, err := castTo(a, t)
		if err != nil {
			return nil, true, err
		}
		out[i] = x
	}
	return &expr.Func{Op: f.op, Args: out, Typ: f.res}, true, nil
}

func isConstExpr(x expr.Expr) bool { _, ok := x.(*expr.Const); return ok }

// noMatchingFunction is DuckDB's overload-resolution failure.
func noMatchingFunction(e *ast.FuncCall, name string, args []expr.Expr) error {
	ts := make([]string, len(args))
	for i, a := range args {
		ts[i] = a.Type().String()
		if a.Type().ID == coldata.Unknown {
			ts[i] = `"NULL"`
		}
	}
	return binderErr(e, "No function matches the given name and argument types '%s(%s)'. You might need to add explicit type casts.", name, strings.Join(ts, ", "))
}

// strSubscript binds s[i] and array_extract(s, i) (hi nil), s[lo:hi] and
// array_slice(s, lo, hi) on a VARCHAR: characters, 1-based, negative from
// the end, as DuckDB.
func strSubscript(s, lo, hi expr.Expr) (expr.Expr, bool, error) {
	bounds := []expr.Expr{lo}
	name, op := "array_extract", expr.OpStrElement
	if hi != nil {
		bounds, name, op = append(bounds, hi), "array_slice", expr.OpStrSlice
	}
	out := []expr.Expr{s}
	for _, b := range bounds {
		if t := b.Type(); !t.IsInteger() && t.ID != coldata.Unknown && t.ID != coldata.String {
			return nil, true, &Error{Kind: "Binder", Msg: fmt.Sprintf("No function matches the given name and argument types '%s(%s)'. You might need to add explicit type casts.", name, argTypes(append([]expr.Expr{s}, bounds...))), Pos: -1}
		}
		x, err := castTo(b, coldata.TypeInt64)
		if err != nil {
			return nil, true, err
		}
		out = append(out, x)
	}
	return &expr.Func{Op: op, Args: out, Typ: coldata.TypeString}, true, nil
}

// regexpListFuncs are the regexp functions with a VARCHAR[] result and
// the number of arguments before the optional ones.
var regexpListFuncs = map[string]expr.Op{
	"regexp_extract_all": expr.OpRegexpExtractAll, "string_split_regex": expr.OpRegexpSplit,
	"str_split_regex": expr.OpRegexpSplit, "regexp_split_to_array": expr.OpRegexpSplit,
}

// regexpListFunction binds regexp_extract_all(s, pattern [, group] [,
// options]) and string_split_regex(s, pattern [, options]); the options
// must be constant.
func regexpListFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	op, ok := regexpListFuncs[name]
	if !ok {
		return nil, false, nil
	}
	max := 3
	if op == expr.OpRegexpExtractAll {
		max = 4
	}
	if len(args) < 2 || len(args) > max {
		return nil, true, noMatchingFunction(e, name, args)
	}
	out := make([]expr.Expr, 0, max)
	for _, a := range args[:2] {
		x, err := castTo(a, coldata.TypeString)
		if err != nil {
			return nil, true, err
		}
		out = append(out, x)
	}
	rest := args[2:]
	if op == expr.OpRegexpExtractAll {
		g := expr.Expr(i64Const(0))
		if len(rest) > 0 {
			if t := rest[0].Type(); t.ID == coldata.List {
				return nil, true, notImplemented(e, "regexp_extract_all with a list of group names")
			}
			if p, ok := rest[0].(*expr.Param); ok {
				p.Typ = coldata.TypeInt64
			}
			x, err := castTo(rest[0], coldata.TypeInt64)
			if err != nil {
				return nil, true, err
			}
			g, rest = x, rest[1:]
		}
		out = append(out, g)
	}
	opts := &expr.Const{Val: coldata.Datum{S: ""}, Typ: coldata.TypeString}
	if len(rest) > 0 {
		x, err := castTo(rest[0], coldata.TypeString)
		if err != nil {
			return nil, true, err
		}
		k, ok := x.(*expr.Const)
		if !ok {
			return nil, true, binderErr(e, "Regex options field must be a constant")
		}
		if k.Val.Null {
			return &expr.Const{Val: coldata.NullDatum, Typ: coldata.ListType(coldata.TypeString)}, true, nil
		}
		for _, c := range k.Val.S {
			switch c {
			case 'c', 'i':
			case 'l', 'm', 'n', 'p', 's', 'x', 'g':
				return nil, true, notImplemented(e, "the regex option "+string(c))
			default:
				return nil, true, &Error{Kind: "Invalid Input", Msg: "Unrecognized Regex option " + string(c), Pos: -1}
			}
		}
		opts = k
	}
	out = append(out, opts)
	return &expr.Func{Op: op, Args: out, Typ: coldata.ListType(coldata.TypeString)}, true, nil
}

// printfFunction binds printf(format, args...) and format(format,
// args...): integers become BIGINT, floating and decimal values DOUBLE,
// booleans stay, anything else is formatted as its VARCHAR cast.
func printfFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	op := expr.OpPrintf
	switch name {
	case "printf":
	case "format":
		op = expr.OpFormat
	default:
		return nil, false, nil
	}
	if len(args) == 0 {
		return nil, true, noMatchingFunction(e, name, args)
	}
	out := make([]expr.Expr, len(args))
	for i, a := range args {
		t := coldata.TypeString
		switch at := a.Type(); {
		case i == 0 || at.ID == coldata.Unknown:
		case at.IsInteger():
			t = coldata.TypeInt64
		case at.ID == coldata.Float64 || at.ID == coldata.Decimal:
			t = coldata.TypeFloat64
		case at.ID == coldata.Bool:
			t = coldata.TypeBool
		}
		x, err := castTo(a, t)
		if err != nil {
			return nil, true, err
		}
		out[i] = x
	}
	return &expr.Func{Op: op, Args: out, Typ: coldata.TypeString}, true, nil
}

// similarTo binds x SIMILAR TO pattern and x ~ pattern (negated: NOT
// SIMILAR TO, !~): DuckDB's regexp_full_match.
func similarTo(x, pattern expr.Expr, not bool) (expr.Expr, error) {
	s, err := castTo(x, coldata.TypeString)
	if err != nil {
		return nil, err
	}
	p, err := castTo(pattern, coldata.TypeString)
	if err != nil {
		return nil, err
	}
	opts := &expr.Const{Val: coldata.Datum{S: ""}, Typ: coldata.TypeString}
	var out expr.Expr = &expr.Func{Op: expr.OpRegexpFullMatch, Args: []expr.Expr{s, p, opts}, Typ: coldata.TypeBool}
	if not {
		out = &expr.Func{Op: expr.OpNot, Args: []expr.Expr{out}, Typ: coldata.TypeBool}
	}
	return out, nil
}

var pathOps = map[string]expr.Op{
	"parse_path": expr.OpParsePath, "parse_dirname": expr.OpParseDirname,
	"parse_dirpath": expr.OpParseDirpath, "parse_filename": expr.OpParseFilename,
}

// pathFunction binds parse_path/parse_dirname/parse_dirpath(path [,
// separator]) and parse_filename(path [, trim_extension | separator] [,
// separator]). The separator option must be a constant; an unknown or NULL
// one means both slashes, as in DuckDB.
func pathFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	op, ok := pathOps[name]
	if !ok {
		return nil, false, nil
	}
	hi := 2
	if op == expr.OpParseFilename {
		hi = 3
	}
	if len(args) < 1 || len(args) > hi || args[0].Type().ID != coldata.String && args[0].Type().ID != coldata.Unknown {
		return nil, true, noMatchingFunction(e, name, args)
	}
	var sepArg, trimArg expr.Expr
	switch {
	case len(args) == 3:
		if args[2].Type().ID != coldata.String && args[2].Type().ID != coldata.Unknown {
			return nil, true, noMatchingFunction(e, name, args)
		}
		trimArg, sepArg = args[1], args[2]
	case len(args) == 2 && op == expr.OpParseFilename && args[1].Type().ID == coldata.Bool:
		trimArg = args[1]
	case len(args) == 2:
		sepArg = args[1]
	}
	seps := "/\\"
	if sepArg != nil {
		x, err := castTo(sepArg, coldata.TypeString)
		if err != nil {
			return nil, true, err
		}
		k, ok := x.(*expr.Const)
		if !ok {
			return nil, true, notImplemented(e, name+" with a separator that is not a constant")
		}
		switch k.Val.S {
		case "forward_slash", "system":
			seps = "/"
		case "backslash":
			seps = "\\"
		}
	}
	s, err := castTo(args[0], coldata.TypeString)
	if err != nil {
		return nil, true, err
	}
	out := []expr.Expr{s, &expr.Const{Val: coldata.Datum{S: seps}, Typ: coldata.TypeString}}
	typ := coldata.TypeString
	switch op {
	case expr.OpParsePath:
		typ = coldata.ListType(coldata.TypeString)
	case expr.OpParseFilename:
		trim := expr.Expr(i64Const(0))
		if trimArg != nil {
			x, err := castTo(trimArg, coldata.TypeBool)
			if err != nil {
				return nil, true, err
			}
			k, ok := x.(*expr.Const)
			if !ok {
				return nil, true, notImplemented(e, name+" with a trim_extension that is not a constant")
			}
			if k.Val.B && !k.Val.Null {
				trim = i64Const(1)
			}
		}
		out = append(out, trim)
	}
	return &expr.Func{Op: op, Args: out, Typ: typ}, true, nil
}

// globFullRegexp translates a GLOB pattern with character classes into an
// RE2 pattern for a full match: * and ? any text and character, \ quotes
// the next character, [...] and [!...] classes (']' first is a member, a-z
// a range). A class that is never closed makes the pattern match nothing,
// as in DuckDB.
func globFullRegexp(p string) string {
	const never = `[^\x00-\x{10FFFF}]`
	var sb strings.Builder
	sb.WriteString(`(?s)`)
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			sb.WriteString(`.*`)
		case '?':
			sb.WriteString(`.`)
		case '\\':
			if i+1 < len(p) {
				i++
			}
			sb.WriteString(regexp.QuoteMeta(p[i : i+1]))
		case '[':
			class, next, ok := globClass(p, i+1)
			if !ok {
				return never
			}
			sb.WriteString(class)
			i = next
		default:
			sb.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	return sb.String()
}

// globClass reads a class whose members start at p[j]; next is the index
// of its closing ']'.
func globClass(p string, j int) (class string, next int, ok bool) {
	neg := j < len(p) && p[j] == '!'
	if neg {
		j++
	}
	var members strings.Builder
	for k := j; k < len(p); k++ {
		c := p[k]
		if c == ']' && k > j {
			switch {
			case members.Len() == 0 && neg:
				return `.`, k, true
			case members.Len() == 0:
				return `[^\x00-\x{10FFFF}]`, k, true
			case neg:
				return "[^" + members.String() + "]", k, true
			}
			return "[" + members.String() + "]", k, true
		}
		if k+2 < len(p) && p[k+1] == '-' {
			lo, hi := c, p[k+2]
			if lo <= hi {
				fmt.Fprintf(&members, `\x{%x}-\x{%x}`, lo, hi)
			}
			k += 2
			continue
		}
		fmt.Fprintf(&members, `\x{%x}`, c)
	}
	return "", 0, false
}

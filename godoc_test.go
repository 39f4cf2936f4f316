package peregrine_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// documentedPackages are the directories (relative to the module root) whose
// exported names must all carry a doc comment: the embedding API and the
// packages a contributor reads to follow a query from SQL text to rows.
var documentedPackages = []string{
	".",
	"sql",
	"sql/ast",
	"sql/parser",
	"planner",
	"planner/expr",
	"storage",
	"storage/csv",
	"storage/jsonfmt",
	"storage/tempdir",
	"exec",
	"exec/coldata",
	"exec/kernel",
	"scan",
}

// TestExportedNamesDocumented: every exported name of the documented packages
// has a doc comment: functions, methods of exported types, types, and
// constants and variables (a comment on their group counts). It only parses
// the files, so it stays a fast unit test.
func TestExportedNamesDocumented(t *testing.T) {
	for _, dir := range documentedPackages {
		t.Run(dir, func(t *testing.T) { checkDocumented(t, dir) })
	}
}

// checkDocumented reports each exported name of the package in dir (its
// non-test files) that has no doc comment.
func checkDocumented(t *testing.T, dir string) {
	fset := token.NewFileSet()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < 2 {
		t.Fatalf("only %d files of package %s found", len(files), dir)
	}
	missing := func(pos token.Pos, what string) {
		t.Errorf("%s: exported %s has no doc comment", fset.Position(pos), what)
	}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() || d.Doc != nil {
					continue
				}
				if d.Recv != nil {
					recv := receiverName(d.Recv.List[0].Type)
					if !ast.IsExported(recv) {
						continue // not part of the documented API
					}
					missing(d.Pos(), "method "+recv+"."+d.Name.Name)
					continue
				}
				missing(d.Pos(), "function "+d.Name.Name)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() && s.Doc == nil && d.Doc == nil {
							missing(s.Pos(), "type "+s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && s.Doc == nil && d.Doc == nil {
								missing(n.Pos(), "name "+n.Name)
							}
						}
					}
				}
			}
		}
	}
}

// receiverName is the type name of a method's receiver (T, *T, T[P]).
func receiverName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

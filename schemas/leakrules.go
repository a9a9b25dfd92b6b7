package schemas

import (
	"regexp"
	"strings"
)

// The texts below are what runtimes, frameworks and databases write into an
// error, never an API on purpose: the leak corpus in testdata/leaks holds an
// example of each, the false-positive corpus beside it the ordinary messages
// they must not match.

// fixedLeaks are substrings that only internals put in a response.
var fixedLeaks = []struct{ needle, kind string }{
	{"panic: ", "a Go panic"},
	{"Traceback (most recent call last)", "a Python traceback"},
	{"syntax error at or near", "an SQL error"},
	{"SQLSTATE", "an SQL error"},
	{"duplicate key value violates", "an SQL error"},
	{"nil pointer dereference", "a Go runtime error"},
	{"runtime error: ", "a Go runtime error"},
	{"Exception in thread", "a Java exception"},
	{"at Object.<anonymous>", "a JavaScript stack trace"},
	{"undefined method", "a Ruby error"},
	{"Stack trace:", "a stack trace"},
	// Node.js
	{"is not a function", "a JavaScript runtime error"},
	{"Cannot read properties of ", "a JavaScript runtime error"},
	{"Cannot read property '", "a JavaScript runtime error"},
	{"Cannot destructure property ", "a JavaScript runtime error"},
	{"Maximum call stack size exceeded", "a JavaScript runtime error"},
	{"node:internal/", "a JavaScript stack trace"},
	{"node_modules/", "a server file path"},
	{"UnhandledPromiseRejection", "a JavaScript runtime error"},
	{"ECONNREFUSED", "a connection error"},
	{"ENOENT: ", "a server file path"},
	{"EACCES: ", "a server file path"},
	// Python
	{"object has no attribute", "a Python runtime error"},
	{"'NoneType' object", "a Python runtime error"},
	{"site-packages/", "a server file path"},
	// Go
	{"interface conversion: ", "a Go runtime error"},
	{"assignment to entry in nil map", "a Go runtime error"},
	{"sql: no rows in result set", "an SQL error"},
	{"into Go struct field", "a Go runtime error"},
	{"dial tcp ", "a connection error"},
	{"/go/pkg/mod/", "a server file path"},
	// Ruby
	{"ActiveRecord::", "a Ruby error"},
	{"ActionController::", "a Ruby error"},
	{"uninitialized constant", "a Ruby error"},
	{"nil:NilClass", "a Ruby error"},
	{"PG::", "an SQL error"},
	// .NET
	{"Object reference not set to an instance of an object", "a .NET runtime error"},
	{"Microsoft.EntityFrameworkCore", "a .NET exception"},
	// PHP
	{"PHP Fatal error", "a PHP error"},
	{"PHP Warning", "a PHP error"},
	{"Uncaught Error: ", "a PHP error"},
	{"Illuminate\\Database", "a PHP error"},
	// SQL: PostgreSQL, MySQL, SQL Server, Oracle, SQLite, MongoDB
	{"violates foreign key constraint", "an SQL error"},
	{"violates not-null constraint", "an SQL error"},
	{"violates unique constraint", "an SQL error"},
	{"violates check constraint", "an SQL error"},
	{"error in your SQL syntax", "an SQL error"},
	{"Deadlock found when trying to get lock", "an SQL error"},
	{"Incorrect syntax near", "an SQL error"},
	{"Invalid object name '", "an SQL error"},
	{"SQLITE_", "an SQL error"},
	{"no such table: ", "an SQL error"},
	{"no such column: ", "an SQL error"},
	{"E11000 duplicate key", "a MongoDB error"},
}

// leakPatterns are the texts a substring cannot pin down.
var leakPatterns = []struct {
	re   *regexp.Regexp
	kind string
}{
	// PostgreSQL: relation "users" does not exist, column "x" does not exist.
	{regexp.MustCompile(`\b(relation|column|table|schema|function) "[^"]{1,80}" (of relation "[^"]{1,80}" )?does not exist`), "an SQL error"},
	// MySQL: Unknown column 'x' in 'where clause', Table 'db.t' doesn't exist, Duplicate entry.
	{regexp.MustCompile(`Unknown column '[^']{1,80}' in '`), "an SQL error"},
	{regexp.MustCompile(`Table '[^']{1,80}' doesn't exist`), "an SQL error"},
	{regexp.MustCompile(`Duplicate entry '[^']{0,200}' for key`), "an SQL error"},
	{regexp.MustCompile(`\bERROR \d{4} \(\w{5}\)`), "an SQL error"},
	// Oracle ORA-00942, SQL Server "Msg 208, Level 16".
	{regexp.MustCompile(`\bORA-\d{5}\b`), "an SQL error"},
	{regexp.MustCompile(`\bMsg \d+, Level \d+, State \d+`), "an SQL error"},
	// Go stack frames: main.(*Server).handle(0xc000010000, and "+0x1d".
	{regexp.MustCompile(`\w\.\(\*\w+\)\.\w+\(`), "a Go stack trace"},
	// Ruby frames: app/models/user.rb:14:in `show'.
	{regexp.MustCompile(`\.rb:\d+:in [` + "`" + `']`), "a Ruby stack trace"},
	// PHP: "in /var/www/x.php on line 5".
	{regexp.MustCompile(`\.php(:\d+| on line \d+)`), "a PHP error"},
	// Go's os errors: open /x/y: no such file or directory.
	{regexp.MustCompile(`\b(open|stat|lstat|mkdir|remove|rename|readlink|chmod|chown) /[^\s:"']+: `), "a server file path"},
	// A path quoted by a database or runtime: could not open file "/var/…".
	{regexp.MustCompile(`(file|directory|path) ["']/[^"'\s]+["']`), "a server file path"},
}

// patternAt finds the first leakPatterns match.
func patternAt(s string) (string, int) {
	for _, p := range leakPatterns {
		if loc := p.re.FindStringIndex(s); loc != nil {
			return p.kind, loc[0]
		}
	}
	return "", -1
}

// pathRoots are the directories of a server's disk: a path under one with
// at least minDepth more segments (or a file extension) is a file path,
// never an API route.
var pathRoots = []struct {
	root     string
	minDepth int
}{
	{"/var/lib/", 1}, {"/var/www/", 1}, {"/var/log/", 1}, {"/var/cache/", 1}, {"/var/run/", 1},
	{"/usr/local/", 1}, {"/usr/src/", 1}, {"/usr/share/", 1}, {"/usr/lib/", 1},
	{"/etc/", 1}, {"/opt/", 2}, {"/srv/", 2}, {"/root/", 2}, {"/go/src/", 1}, {"/tmp/", 1},
	{"/home/", 3}, {"/Users/", 2},
}

// filePathAt finds a server file path: /var/lib/…, /home/…/x.go, C:\….
func filePathAt(s string) (string, int) {
	for _, r := range pathRoots {
		for off := 0; ; {
			i := strings.Index(s[off:], r.root)
			if i < 0 {
				break
			}
			i += off
			off = i + len(r.root)
			if i > 0 && (isIdent(s[i-1]) || s[i-1] == '/' || s[i-1] == '.') {
				continue
			}
			end := off
			for end < len(s) && !strings.ContainsRune(" \"'\n)],;", rune(s[end])) {
				end++
			}
			tok := strings.TrimRight(s[off:end], ":0123456789,.")
			segs := strings.Count(strings.Trim(tok, "/"), "/") + 1
			if tok == "" {
				segs = 0
			}
			last := tok[strings.LastIndexByte(tok, '/')+1:]
			if segs >= r.minDepth+1 || (segs >= r.minDepth && strings.Contains(last, ".")) || (r.minDepth == 1 && segs == 1) {
				return "a server file path", i
			}
		}
	}
	for i := 0; i+3 < len(s); i++ {
		if s[i+1] == ':' && s[i+2] == '\\' && isUpper(s[i]) && isLetter(s[i+3]) && (i == 0 || !isIdent(s[i-1])) {
			return "a server file path", i
		}
	}
	return "", -1
}

// runtimeErrors are the error classes of the common runtimes (JavaScript,
// Python, Ruby, Java, .NET): "KeyError: 'x'" is a runtime's text, while a
// CamelCase name of the API's own ("ResourceNotFoundException", AWS's codes)
// is not.
var runtimeErrors = map[string]bool{
	"TypeError": true, "ReferenceError": true, "RangeError": true, "SyntaxError": true, "EvalError": true, "URIError": true,
	"KeyError": true, "AttributeError": true, "ValueError": true, "IndexError": true, "NameError": true,
	"ZeroDivisionError": true, "ImportError": true, "ModuleNotFoundError": true, "RuntimeError": true,
	"AssertionError": true, "UnboundLocalError": true, "RecursionError": true, "OverflowError": true,
	"NotImplementedError": true, "OperationalError": true, "IntegrityError": true, "ProgrammingError": true,
	"DataError": true, "NoMethodError": true, "ArgumentError": true, "LocalJumpError": true, "FrozenError": true,
	"StackOverflowError": true, "OutOfMemoryError": true, "NoClassDefFoundError": true,
	"SequelizeDatabaseError": true, "SequelizeValidationError": true, "MongoServerError": true, "MongoError": true,
	"PrismaClientKnownRequestError": true, "PrismaClientValidationError": true, "QueryFailedError": true,
	"NullPointerException": true, "IllegalArgumentException": true, "IllegalStateException": true,
	"ClassCastException": true, "ArrayIndexOutOfBoundsException": true, "IndexOutOfBoundsException": true,
	"NumberFormatException": true, "ArithmeticException": true, "UnsupportedOperationException": true,
	"ConcurrentModificationException": true, "NoSuchElementException": true, "SQLException": true,
	"NullReferenceException": true, "InvalidOperationException": true, "ArgumentNullException": true,
	"ArgumentOutOfRangeException": true, "InvalidCastException": true, "KeyNotFoundException": true,
	"ObjectDisposedException": true, "SqlException": true, "DbUpdateException": true,
	"KotlinNullPointerException": true, "LazyInitializationException": true,
}

// exceptionAt finds an exception: a runtime's error class (runtimeErrors;
// an ...Error followed by its message), or a qualified one (java.lang.X, System.X, sqlalchemy.exc.X).
func exceptionAt(s string) (string, int) {
	for off := 0; off < len(s); {
		j := off
		for j < len(s) && !isIdent(s[j]) {
			j++
		}
		k := j
		for k < len(s) && (isIdent(s[k]) || s[k] == '.') {
			k++
		}
		if k == j {
			break
		}
		word := strings.TrimRight(s[j:k], ".")
		name := word[strings.LastIndexByte(word, '.')+1:]
		qualified := strings.Contains(word, ".") && (strings.HasSuffix(name, "Exception") || strings.HasSuffix(name, "Error"))
		// "KeyError: 'x'": an error class is the runtime's text when a
		// message follows it; an exception's name is one on its own.
		known := runtimeErrors[name] && (strings.HasSuffix(name, "Exception") || strings.HasPrefix(s[k:], ":"))
		if (known || qualified) && len(name) > len("Error") {
			return "an exception", j
		}
		off = k
	}
	return "", -1
}

// sourceExts mark "file.ext:LINE" source locations.
var sourceExts = []string{".go:", ".java:", ".js:", ".ts:", ".mjs:", ".cjs:", ".rb:", ".kt:", ".scala:", ".cs:line ", ".py\", line ", ".php:", ".ex:", ".exs:", ".rs:"}

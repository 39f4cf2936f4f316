package expr

// The scalar math, hashing/encoding and JSON operators. They live in their
// own block of the Op range (between the main list and the nested
// operators) so that branches adding operators to either list do not
// collide. Unless noted a NULL argument gives NULL.
const (
	OpSin             Op = 120 + iota // (double) → double; likewise cos, tan, cot, asin, acos, atan
	OpCos                             // (double) → double
	OpTan                             // (double) → double
	OpCot                             // (double) → double; an error at zero
	OpAsin                            // (double) → double; an error outside [-1, 1]
	OpAcos                            // (double) → double; an error outside [-1, 1]
	OpAtan                            // (double) → double
	OpAtan2                           // (double y, double x) → double
	OpSinh                            // (double) → double; likewise cosh, tanh, asinh, acosh, atanh
	OpCosh                            // (double) → double
	OpTanh                            // (double) → double
	OpAsinh                           // (double) → double
	OpAcosh                           // (double) → double
	OpAtanh                           // (double) → double; an error outside [-1, 1]
	OpDegrees                         // (double) → double
	OpRadians                         // (double) → double
	OpGamma                           // (double) → double; an error at zero
	OpLgamma                          // (double) → double; an error at zero
	OpLogBase                         // (double base, double x) → double
	OpFmod                            // (double, double) → double, x - y*floor(x/y) (NaN for y = 0)
	OpFdiv                            // (double, double) → double, floor(x/y)
	OpNextAfter                       // (double, double) → double
	OpEven                            // (double) → double, rounded away from zero to an even integer
	OpRoundEven                       // (double, int64 digits) → double, half to even
	OpTrunc                           // (double) → double; (int) → same int; (decimal(p,s)) → decimal(p,0)
	OpTruncDigits                     // (numeric, int64 digits) → same type, digits dropped towards zero
	OpSign                            // (numeric) → int32 -1, 0 or 1 (0 for NaN)
	OpSignBit                         // (double) → bool
	OpIsNan                           // (double) → bool
	OpIsInf                           // (double) → bool
	OpIsFinite                        // (double) → bool
	OpFactorial                       // (int32) → hugeint; an error for a negative argument or overflow
	OpBitCount                        // (int32|int64|hugeint|bool) → int32
	OpRandom                          // () → double in [0, 1); volatile: never folded or shared
	OpSetSeed                         // (double in [-1, 1]) → NULL (Unknown-typed int32); seeds random()
	OpUUID                            // () → VARCHAR random version-4 UUID; volatile
	OpSHA1                            // (string) → string (hex digest)
	OpSHA256                          // (string) → string (hex digest)
	OpMD5Number                       // (string) → hugeint, the md5 digest as a little-endian 128-bit integer
	OpHash                            // (T, ...) → int64 holding a 64-bit hash (UBIGINT-like bits)
	OpToBase64                        // (string) → string
	OpFromBase64                      // (string) → string (the decoded bytes); an error for invalid input
	OpToHex                           // (string|int) → string of upper-case hex digits
	OpFromHex                         // (string) → string (the decoded bytes); an error for invalid input
	OpToBinary                        // (string|int) → string of 0/1 digits
	OpFromBinary                      // (string) → string (the decoded bytes)
	OpJSONExtract                     // (json, path string) → json text; NULL when the path is absent
	OpJSONExtractStr                  // (json, path string) → string, a JSON string unquoted
	OpJSONArrayLength                 // (json [, path]) → int64
	OpJSONType                        // (json [, path]) → string (NULL, BOOLEAN, BIGINT, UBIGINT, DOUBLE, VARCHAR, ARRAY, OBJECT)
	OpJSONValid                       // (string) → bool
	OpJSONKeys                        // (json [, path]) → VARCHAR[]
	OpJSONQuote                       // (T) → json text of the value
	OpJSONObject                      // (key, value, ...) → json object text
	OpJSONArray                       // (value, ...) → json array text
	OpJSONStructure                   // (json) → json text describing its structure
	OpJSONExists                      // (json, path) → bool
	OpJSONValue                       // (json, path) → json text of a scalar, NULL for an array or object
)

var scalarOpNames = map[Op]string{
	OpSin: "sin", OpCos: "cos", OpTan: "tan", OpCot: "cot", OpAsin: "asin", OpAcos: "acos", OpAtan: "atan",
	OpAtan2: "atan2", OpSinh: "sinh", OpCosh: "cosh", OpTanh: "tanh", OpAsinh: "asinh", OpAcosh: "acosh",
	OpAtanh: "atanh", OpDegrees: "degrees", OpRadians: "radians", OpGamma: "gamma", OpLgamma: "lgamma",
	OpLogBase: "log", OpFmod: "fmod", OpFdiv: "fdiv", OpNextAfter: "nextafter", OpEven: "even",
	OpRoundEven: "round_even", OpTrunc: "trunc", OpTruncDigits: "trunc", OpSign: "sign", OpSignBit: "signbit",
	OpIsNan: "isnan", OpIsInf: "isinf", OpIsFinite: "isfinite", OpFactorial: "factorial", OpBitCount: "bit_count",
	OpRandom: "random", OpSetSeed: "setseed", OpUUID: "uuid", OpSHA1: "sha1", OpSHA256: "sha256",
	OpMD5Number: "md5_number", OpHash: "hash", OpToBase64: "to_base64", OpFromBase64: "from_base64",
	OpToHex: "hex", OpFromHex: "unhex", OpToBinary: "bin", OpFromBinary: "unbin",
	OpJSONExtract: "json_extract", OpJSONExtractStr: "json_extract_string", OpJSONArrayLength: "json_array_length",
	OpJSONType: "json_type", OpJSONValid: "json_valid", OpJSONKeys: "json_keys", OpJSONQuote: "to_json",
	OpJSONObject: "json_object", OpJSONArray: "json_array", OpJSONStructure: "json_structure",
	OpJSONExists: "json_exists", OpJSONValue: "json_value",
}

// IsScalarOp reports whether o is one of the operators of this block.
func (o Op) IsScalarOp() bool { _, ok := scalarOpNames[o]; return ok }

// IsVolatile reports whether o gives a new value at each evaluation
// (random, uuid) or has an effect (setseed): such calls are never folded
// into constants nor shared between two occurrences.
func (o Op) IsVolatile() bool { return o == OpRandom || o == OpSetSeed || o == OpUUID }

// HasVolatile reports whether e calls a volatile function: such an
// expression must be evaluated exactly where it is written, never copied
// (a filter pushed below the projection computing it would see another
// value than the one the projection outputs).
func HasVolatile(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if f, ok := x.(*Func); ok && f.Op.IsVolatile() {
			found = true
		}
		return !found
	})
	return found
}

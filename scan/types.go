package scan

import (
	"fmt"

	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// elem is our copy of one Thrift SchemaElement, with the logical type
// flattened. arrow-go's generated types are internal, so we read their
// exported fields through the embedded struct and keep what we need here.
type elem struct {
	name    string
	hasType bool
	phys    int32
	typeLen int32
	rep     int32
	nchild  int
	conv    int32 // -1 when absent

	decScale, decPrec int32 // from the element (legacy decimal metadata)
	hasDecMeta        bool

	logical  logicalKind
	unit     timeUnit // TIME / TIMESTAMP
	utc      bool     // TIMESTAMP isAdjustedToUTC: TIMESTAMP WITH TIME ZONE
	intWidth int8     // INTEGER
	intSign  bool
	ltScale  int32 // DECIMAL logical type
	ltPrec   int32
}

type logicalKind uint8

const (
	ltNone logicalKind = iota
	ltString
	ltMap
	ltList
	ltEnum
	ltDecimal
	ltDate
	ltTime
	ltTimestamp
	ltInteger
	ltNull
	ltJSON
	ltBSON
	ltUUID
	ltFloat16
	ltVariant
	ltGeo
)

type timeUnit uint8

const (
	unitMillis timeUnit = iota
	unitMicros
	unitNanos
)

func schemaElems(md *metadata.FileMetaData) []elem {
	out := make([]elem, 0, len(md.FileMetaData.Schema))
	for _, se := range md.FileMetaData.Schema {
		if se == nil {
			out = append(out, elem{name: "?", conv: -1})
			continue
		}
		e := elem{name: se.Name, conv: -1, rep: repRequired}
		if se.Type != nil {
			e.hasType, e.phys = true, int32(*se.Type)
		}
		if se.TypeLength != nil {
			e.typeLen = *se.TypeLength
		}
		if se.RepetitionType != nil {
			e.rep = int32(*se.RepetitionType)
		}
		if se.NumChildren != nil {
			e.nchild = int(*se.NumChildren)
		}
		if se.ConvertedType != nil {
			e.conv = int32(*se.ConvertedType)
		}
		if se.Scale != nil && se.Precision != nil {
			e.decScale, e.decPrec, e.hasDecMeta = *se.Scale, *se.Precision, true
		}
		if lt := se.LogicalType; lt != nil {
			switch {
			case lt.STRING != nil:
				e.logical = ltString
			case lt.MAP != nil:
				e.logical = ltMap
			case lt.LIST != nil:
				e.logical = ltList
			case lt.ENUM != nil:
				e.logical = ltEnum
			case lt.DECIMAL != nil:
				e.logical, e.ltScale, e.ltPrec = ltDecimal, lt.DECIMAL.Scale, lt.DECIMAL.Precision
			case lt.DATE != nil:
				e.logical = ltDate
			case lt.TIME != nil:
				e.logical = ltTime
				if u := lt.TIME.Unit; u != nil {
					e.unit = unitOf(u.MILLIS != nil, u.NANOS != nil)
				}
			case lt.TIMESTAMP != nil:
				e.logical, e.utc = ltTimestamp, lt.TIMESTAMP.IsAdjustedToUTC
				if u := lt.TIMESTAMP.Unit; u != nil {
					e.unit = unitOf(u.MILLIS != nil, u.NANOS != nil)
				}
			case lt.INTEGER != nil:
				e.logical, e.intWidth, e.intSign = ltInteger, lt.INTEGER.BitWidth, lt.INTEGER.IsSigned
			case lt.UNKNOWN != nil:
				e.logical = ltNull
			case lt.JSON != nil:
				e.logical = ltJSON
			case lt.BSON != nil:
				e.logical = ltBSON
			case lt.UUID != nil:
				e.logical = ltUUID
			case lt.FLOAT16 != nil:
				e.logical = ltFloat16
			case lt.VARIANT != nil:
				e.logical = ltVariant
			case lt.GEOMETRY != nil, lt.GEOGRAPHY != nil:
				e.logical = ltGeo
			}
		}
		out = append(out, e)
	}
	return out
}

func unitOf(millis, nanos bool) timeUnit {
	switch {
	case millis:
		return unitMillis
	case nanos:
		return unitNanos
	}
	return unitMicros
}

// mapType picks the coldata type and decode kind of a primitive column, or
// returns why it cannot be read. The logical type wins over the legacy
// converted type when both are present.
func mapType(se *elem, li *leafInfo) (coldata.Type, string) {
	isDecimal := se.logical == ltDecimal || (se.logical == ltNone && se.conv == ctDecimal)
	var decType coldata.Type
	if isDecimal {
		p, s := se.decPrec, se.decScale
		if se.logical == ltDecimal {
			p, s = se.ltPrec, se.ltScale
		} else if !se.hasDecMeta {
			return coldata.Type{}, "DECIMAL without precision and scale"
		}
		if p < 1 || p > coldata.MaxDecimalPrecision || s < 0 || s > p {
			return coldata.Type{}, fmt.Sprintf("type DECIMAL(%d,%d), not supported", p, s)
		}
		decType = coldata.DecimalType(int(p), int(s))
	}
	unit := se.unit
	switch se.conv {
	case ctTimeMillis, ctTimestampMillis:
		if se.logical == ltNone {
			unit = unitMillis
		}
	case ctTimeMicros, ctTimestampMicros:
		if se.logical == ltNone {
			unit = unitMicros
		}
	}
	isTimestamp := se.logical == ltTimestamp || (se.logical == ltNone && (se.conv == ctTimestampMillis || se.conv == ctTimestampMicros))
	isTime := se.logical == ltTime || (se.logical == ltNone && (se.conv == ctTimeMillis || se.conv == ctTimeMicros))
	unsigned := (se.logical == ltInteger && !se.intSign) ||
		(se.logical == ltNone && se.conv >= ctUint8 && se.conv <= ctUint64)
	wide := (se.logical == ltInteger && se.intWidth > 16) ||
		(se.logical == ltNone && (se.conv == ctUint32 || se.conv == ctUint64))

	switch se.phys {
	case physBoolean:
		li.dk = dkBool
		return coldata.TypeBool, ""
	case physInt32:
		switch {
		case isDecimal:
			li.dk = dkI32toI64
			return decType, ""
		case se.logical == ltDate || (se.logical == ltNone && se.conv == ctDate):
			li.dk = dkI32
			return coldata.TypeDate, ""
		case isTime:
			if unit != unitMillis {
				return coldata.Type{}, "TIME on INT32 with a unit other than milliseconds"
			}
			li.dk = dkI32Millis
			return coldata.TypeTime, ""
		case unsigned && wide:
			li.dk, li.unsigned = dkU32toI64, true
			return coldata.TypeUInteger, ""
		case unsigned:
			li.dk, li.unsigned = dkI32, true
			return smallIntType(se, true), ""
		}
		li.dk = dkI32
		return smallIntType(se, false), ""
	case physInt64:
		switch {
		case isDecimal:
			li.dk = dkI64
			return decType, ""
		case isTimestamp || isTime:
			switch unit {
			case unitMillis:
				li.dk = dkI64Millis
			case unitNanos:
				li.dk = dkI64Nanos
			default:
				li.dk = dkI64
			}
			switch {
			case isTime:
				return coldata.TypeTime, ""
			case se.utc:
				return coldata.TypeTimestampTZ, ""
			}
			return coldata.TypeTimestamp, ""
		case unsigned:
			li.dk, li.unsigned = dkU64, true
			return coldata.TypeInt64, ""
		}
		li.dk = dkI64
		return coldata.TypeInt64, ""
	case physInt96:
		li.dk = dkInt96
		return coldata.TypeTimestamp, ""
	case physFloat:
		li.dk = dkF32
		return coldata.TypeFloat32, ""
	case physDouble:
		li.dk = dkF64
		return coldata.TypeFloat64, ""
	case physByteArray:
		if isDecimal {
			li.dk = dkBADec
			return decType, ""
		}
		li.dk, li.strLike = dkBAStr, true
		if se.logical == ltBSON || se.logical == ltNone && se.conv < 0 {
			// No STRING/UTF8 (or ENUM, JSON) annotation: bytes, as DuckDB
			// reads them.
			return coldata.TypeBlob, ""
		}
		return coldata.TypeString, ""
	case physFLBA:
		if se.typeLen <= 0 {
			return coldata.Type{}, fmt.Sprintf("FIXED_LEN_BYTE_ARRAY of length %d", se.typeLen)
		}
		switch {
		case isDecimal:
			li.dk = dkFLBADec
			return decType, ""
		case se.logical == ltFloat16:
			if se.typeLen != 2 {
				return coldata.Type{}, fmt.Sprintf("FLOAT16 of length %d", se.typeLen)
			}
			li.dk = dkF16
			return coldata.TypeFloat64, ""
		case se.logical == ltNone && se.conv == ctInterval:
			return coldata.Type{}, "type INTERVAL, not supported yet"
		}
		li.dk, li.strLike = dkFLBAStr, true
		return coldata.TypeString, ""
	}
	return coldata.Type{}, fmt.Sprintf("unknown physical type %d", se.phys)
}

// smallIntType is the type of an INT32 column by its integer annotation:
// TINYINT/SMALLINT and their unsigned forms for 8 and 16 bits, else
// INTEGER (an unannotated unsigned INT32 is read as INTEGER bits).
func smallIntType(se *elem, unsigned bool) coldata.Type {
	width := int8(32)
	switch {
	case se.logical == ltInteger:
		width = se.intWidth
	case se.logical == ltNone && (se.conv == ctUint8 || se.conv == ctInt8):
		width = 8
	case se.logical == ltNone && (se.conv == ctUint16 || se.conv == ctInt16):
		width = 16
	}
	switch {
	case width == 8 && unsigned:
		return coldata.TypeUTinyint
	case width == 16 && unsigned:
		return coldata.TypeUSmallint
	case width == 8:
		return coldata.TypeTinyint
	case width == 16:
		return coldata.TypeSmallint
	}
	return coldata.TypeInt32
}

// Parquet's legacy converted types for signed small integers.
const (
	ctInt8  = 15
	ctInt16 = 16
)

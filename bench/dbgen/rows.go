package dbgen

import "time"

// Date is a calendar date as days since 1970-01-01, the representation of
// Arrow's date32 and Parquet's DATE.
type Date int32

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}

// Rows reach callbacks by pointer, and the struct (an order's Lines slice
// included) is reused for the next row: a callback copies what it keeps.
// Strings are never reused or modified and may be retained. Money and the
// other DECIMAL(15,2) columns are in hundredths (cents).

// Region is a row of region.
type Region struct {
	RegionKey int32
	Name      string
	Comment   string
}

// Nation is a row of nation.
type Nation struct {
	NationKey int32
	Name      string
	RegionKey int32
	Comment   string
}

// Supplier is a row of supplier.
type Supplier struct {
	SuppKey   int64
	Name      string
	Address   string
	NationKey int32
	Phone     string
	AcctBal   int64 // cents
	Comment   string
}

// Customer is a row of customer.
type Customer struct {
	CustKey    int64
	Name       string
	Address    string
	NationKey  int32
	Phone      string
	AcctBal    int64 // cents
	MktSegment string
	Comment    string
}

// Part is a row of part with its four partsupp rows.
type Part struct {
	PartKey     int64
	Name        string
	Mfgr        string
	Brand       string
	Type        string
	Size        int32
	Container   string
	RetailPrice int64 // cents
	Comment     string
	Supps       [suppsPerPart]PartSupp
}

// PartSupp is a row of partsupp.
type PartSupp struct {
	PartKey    int64
	SuppKey    int64
	AvailQty   int64
	SupplyCost int64 // cents
	Comment    string
}

// Order is a row of orders with its lineitem rows.
type Order struct {
	OrderKey      int64
	CustKey       int64
	OrderStatus   string
	TotalPrice    int64 // cents
	OrderDate     Date
	OrderPriority string
	Clerk         string
	ShipPriority  int32
	Comment       string
	Lines         []LineItem
}

// LineItem is a row of lineitem.
type LineItem struct {
	OrderKey      int64
	PartKey       int64
	SuppKey       int64
	LineNumber    int64
	Quantity      int64 // whole units; the DECIMAL(15,2) column holds Quantity*100
	ExtendedPrice int64 // cents
	Discount      int64 // hundredths
	Tax           int64 // hundredths
	ReturnFlag    string
	LineStatus    string
	ShipDate      Date
	CommitDate    Date
	ReceiptDate   Date
	ShipInstruct  string
	ShipMode      string
	Comment       string
}

// Derived from github.com/pingcap/go-tpc v1.0.12, tpch/dbgen (Apache License
// 2.0), a Go port of the TPC-H dbgen. See NOTICE for what was changed.

package dbgen

import (
	"strconv"
	"time"
)

// Date is a calendar date as days since 1970-01-01, the representation of
// Arrow's date32 and Parquet's DATE.
type Date int32

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}

// Rows are handed to callbacks by pointer and the struct (including an
// order's Lines slice) is reused for the next row, so a callback must copy
// whatever it keeps. Strings are never reused and may be retained. Money
// and other DECIMAL(15,2) columns are in hundredths (cents).

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

// Part is a row of part together with its partsupp rows, which dbgen draws
// from the same per-part random state.
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
	Supps       [suppPerPart]PartSupp
}

// PartSupp is a row of partsupp.
type PartSupp struct {
	PartKey    int64
	SuppKey    int64
	AvailQty   int64
	SupplyCost int64 // cents
	Comment    string
}

// Order is a row of orders together with its lineitem rows.
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

// Regions generates the region table.
func (g *Generator) Regions(fn func(*Region) error) error {
	s := initialStreams
	var r Region
	for i := int64(1); i <= g.rows[TableRegion]; i++ {
		s.rowStart()
		r = Region{
			RegionKey: int32(i - 1),
			Name:      g.d.regions.text[i-1],
			Comment:   g.makeText(&s, 72, rCmntSd),
		}
		if err := fn(&r); err != nil {
			return err
		}
		s.rowStop(TableRegion, tableNone)
	}
	return nil
}

// Nations generates the nation table.
func (g *Generator) Nations(fn func(*Nation) error) error {
	s := initialStreams
	var n Nation
	for i := int64(1); i <= g.rows[TableNation]; i++ {
		s.rowStart()
		n = Nation{
			NationKey: int32(i - 1),
			Name:      g.d.nations.text[i-1],
			RegionKey: int32(g.d.nations.weight[i-1]),
			Comment:   g.makeText(&s, 72, nCmntSd),
		}
		if err := fn(&n); err != nil {
			return err
		}
		s.rowStop(TableNation, tableNone)
	}
	return nil
}

// Suppliers generates the supplier table.
func (g *Generator) Suppliers(fn func(*Supplier) error) error {
	const (
		bbbBase     = "Customer "
		bbbComplain = "Complaints"
		bbbCommend  = "Recommends"
		bbbCmntLen  = 19
	)
	s := initialStreams
	var sp Supplier
	buf := make([]byte, 0, 256)
	for i := int64(1); i <= g.rows[TableSupplier]; i++ {
		s.rowStart()
		sp.SuppKey = i
		buf = appendPadded(append(buf[:0], "Supplier#"...), i, 9)
		sp.Name = string(buf)
		sp.Address = string(g.appendVStr(buf[:0], &s, 25, sAddrSd))
		nation := s.random(0, int64(len(g.d.nations.text)-1), sNtrgSd)
		sp.NationKey = int32(nation)
		sp.Phone = string(appendPhone(buf[:0], &s, nation, sPhneSd))
		sp.AcctBal = s.random(-99999, 999999, sAbalSd)
		sp.Comment = g.makeText(&s, 63, sCmntSd)

		// A few suppliers get "Customer ... Complaints/Recommends" written
		// over their comment, which is what Q16 looks for. The draws happen
		// for every supplier.
		badPress := s.random(1, 10000, bbbCmntSd)
		kind := s.random(0, 100, bbbTypeSd)
		clen := int64(len(sp.Comment))
		noise := s.random(0, clen-bbbCmntLen, bbbJnkSd)
		offset := s.random(0, clen-(bbbCmntLen+noise), bbbOffSd)
		if badPress <= 10 {
			c := append(buf[:0], sp.Comment...)
			copy(c[offset:], bbbBase)
			at := int64(len(bbbBase)) + offset + noise
			if kind < 50 {
				copy(c[at:], bbbComplain)
			} else {
				copy(c[at:], bbbCommend)
			}
			sp.Comment = string(c)
		}
		if err := fn(&sp); err != nil {
			return err
		}
		s.rowStop(TableSupplier, tableNone)
	}
	return nil
}

// Customers generates the customer table.
func (g *Generator) Customers(fn func(*Customer) error) error {
	s := initialStreams
	var c Customer
	buf := make([]byte, 0, 64)
	for i := int64(1); i <= g.rows[TableCustomer]; i++ {
		s.rowStart()
		c.CustKey = i
		buf = appendPadded(append(buf[:0], "Customer#"...), i, 9)
		c.Name = string(buf)
		c.Address = string(g.appendVStr(buf[:0], &s, 25, cAddrSd))
		nation := s.random(0, int64(len(g.d.nations.text)-1), cNtrgSd)
		c.NationKey = int32(nation)
		c.Phone = string(appendPhone(buf[:0], &s, nation, cPhneSd))
		c.AcctBal = s.random(-99999, 999999, cAbalSd)
		c.MktSegment = g.d.cMseg.text[g.d.cMseg.pick(&s, cMsegSd)]
		c.Comment = g.makeText(&s, 73, cCmntSd)
		if err := fn(&c); err != nil {
			return err
		}
		s.rowStop(TableCustomer, tableNone)
	}
	return nil
}

var (
	mfgrNames  [6]string
	brandNames [56]string
)

func init() {
	for m := 1; m <= 5; m++ {
		mfgrNames[m] = "Manufacturer#" + strconv.Itoa(m)
		for b := 1; b <= 5; b++ {
			brandNames[m*10+b] = "Brand#" + strconv.Itoa(m*10+b)
		}
	}
}

// Parts generates the part table and, in each Part's Supps, partsupp.
func (g *Generator) Parts(fn func(*Part) error) error {
	s := initialStreams
	var p Part
	colors := g.d.colors
	perm := make([]int, len(colors.text))
	buf := make([]byte, 0, 128)
	for i := int64(1); i <= g.rows[TablePart]; i++ {
		s.rowStart()
		p.PartKey = i

		// agg_str: five distinct colours from a fresh permutation of all 92,
		// which consumes one draw per colour.
		for j := range perm {
			perm[j] = j
		}
		for j := range perm {
			src := s.random(int64(j), int64(len(perm)-1), pNameSd)
			perm[src], perm[j] = perm[j], perm[src]
		}
		buf = buf[:0]
		for j := 0; j < 5; j++ {
			if j > 0 {
				buf = append(buf, ' ')
			}
			buf = append(buf, colors.text[perm[j]]...)
		}
		p.Name = string(buf)

		mfgr := s.random(1, 5, pMfgSd)
		p.Mfgr = mfgrNames[mfgr]
		p.Brand = brandNames[mfgr*10+s.random(1, 5, pBrndSd)]
		p.Type = g.d.pTypes.text[g.d.pTypes.pick(&s, pTypeSd)]
		p.Size = int32(s.random(1, 50, pSizeSd))
		p.Container = g.d.pCntr.text[g.d.pCntr.pick(&s, pCntrSd)]
		p.RetailPrice = retailPrice(i)
		p.Comment = g.makeText(&s, 14, pCmntSd)
		for j := range p.Supps {
			ps := &p.Supps[j]
			ps.PartKey = i
			ps.SuppKey = g.partSuppBridge(i, int64(j))
			ps.AvailQty = s.random(1, 9999, psQtySd)
			ps.SupplyCost = s.random(100, 100000, psScstSd)
			ps.Comment = g.makeText(&s, 124, psCmntSd)
		}
		if err := fn(&p); err != nil {
			return err
		}
		s.rowStop(TablePart, TablePartSupp)
	}
	return nil
}

// Date handling: dbgen draws dates as 92001 + days since 1992-01-01 and
// compares them with CURRENTDATE (1995-06-17) after converting to yyddd.
const (
	startDate  = 92001
	totDate    = 2557
	epoch1992  = 8035 // 1992-01-01 in days since 1970-01-01
	lSdteMax   = 121
	lRdteMax   = 30
	currentYYD = 95168
)

// currentIdx is CURRENTDATE as days since 1992-01-01, so that the per-line
// julian() conversion of dbgen becomes one comparison.
var currentIdx = func() int64 {
	i := int64(0)
	for julian(startDate+i+1) <= currentYYD {
		i++
	}
	return i
}()

// julian is dbgen's julian(): 92001+k to the yyddd date k days later.
func julian(date int64) int64 {
	offset := date - startDate
	result := int64(startDate)
	for {
		yr := result / 1000
		leap := int64(0)
		if yr%4 == 0 && yr%100 != 0 {
			leap = 1
		}
		yend := yr*1000 + 365 + leap
		if result+offset <= yend {
			return result + offset
		}
		offset -= yend - result + 1
		result += 1000
	}
}

// Orders generates the orders table and, in each Order's Lines, lineitem.
func (g *Generator) Orders(fn func(*Order) error) error {
	const (
		oDateMax = startDate + totDate - (lSdteMax + lRdteMax) - 1
		clerkScl = 1000
	)
	s := initialStreams
	var o Order
	o.Lines = make([]LineItem, 0, oLcntMax)
	custMax := g.rows[TableCustomer]
	partMax := g.rows[TablePart]
	clerkMax := max(g.scale*clerkScl, clerkScl)
	buf := make([]byte, 0, 32)
	d := g.d
	for i := int64(1); i <= g.rows[TableOrders]; i++ {
		s.rowStart()
		// mk_sparse: only 8 of every 32 keys are used, leaving room for the
		// refresh functions' inserts.
		o.OrderKey = (i>>3)<<5 | i&7
		if g.scale >= hugeScale {
			o.CustKey = s.random64(1, custMax, oCkeySd)
		} else {
			o.CustKey = s.random(1, custMax, oCkeySd)
		}
		// A third of the customers never order.
		for delta := int64(1); o.CustKey%3 == 0; delta = -delta {
			o.CustKey = min(o.CustKey+delta, custMax)
		}
		orderDate := s.random(startDate, oDateMax, oOdateSd) - startDate
		o.OrderDate = Date(epoch1992 + orderDate)
		o.OrderPriority = d.oPriority.text[d.oPriority.pick(&s, oPrioSd)]
		buf = appendPadded(append(buf[:0], "Clerk#"...), s.random(1, clerkMax, oClrkSd), 9)
		o.Clerk = string(buf)
		o.Comment = g.makeText(&s, 49, oCmntSd)
		o.ShipPriority = 0
		o.TotalPrice = 0
		shipped := 0
		nLines := int(s.random(oLcntMin, oLcntMax, oLcntSd))
		o.Lines = o.Lines[:nLines]
		for j := range o.Lines {
			l := &o.Lines[j]
			l.OrderKey = o.OrderKey
			l.LineNumber = int64(j + 1)
			l.Quantity = s.random(1, 50, lQtySd)
			l.Discount = s.random(0, 10, lDcntSd)
			l.Tax = s.random(0, 8, lTaxSd)
			l.ShipInstruct = d.lInstruct.text[d.lInstruct.pick(&s, lShipSd)]
			l.ShipMode = d.lSmode.text[d.lSmode.pick(&s, lSmodeSd)]
			l.Comment = g.makeText(&s, 27, lCmntSd)
			if g.scale >= hugeScale {
				l.PartKey = s.random64(1, partMax, lPkeySd)
			} else {
				l.PartKey = s.random(1, partMax, lPkeySd)
			}
			l.SuppKey = g.partSuppBridge(l.PartKey, s.random(0, 3, lSkeySd))
			l.ExtendedPrice = retailPrice(l.PartKey) * l.Quantity
			o.TotalPrice += ((l.ExtendedPrice * (100 - l.Discount)) / 100) * (100 + l.Tax) / 100

			ship := orderDate + s.random(1, lSdteMax, lSdteSd)
			commit := orderDate + s.random(30, 90, lCdteSd)
			receipt := ship + s.random(1, lRdteMax, lRdteSd)
			l.ShipDate = Date(epoch1992 + ship)
			l.CommitDate = Date(epoch1992 + commit)
			l.ReceiptDate = Date(epoch1992 + receipt)
			if receipt <= currentIdx {
				// Only the first letter of "R"/"A" matters.
				l.ReturnFlag = d.lRflag.text[d.lRflag.pick(&s, lRflgSd)][:1]
			} else {
				l.ReturnFlag = "N"
			}
			if ship <= currentIdx {
				shipped++
				l.LineStatus = "F"
			} else {
				l.LineStatus = "O"
			}
		}
		switch shipped {
		case 0:
			o.OrderStatus = "O"
		case nLines:
			o.OrderStatus = "F"
		default:
			o.OrderStatus = "P"
		}
		if err := fn(&o); err != nil {
			return err
		}
		s.rowStop(TableOrders, TableLineItem)
	}
	return nil
}

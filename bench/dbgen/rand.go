// Derived from github.com/pingcap/go-tpc v1.0.12, tpch/dbgen (Apache License
// 2.0), a Go port of the TPC-H dbgen. See NOTICE for what was changed.

package dbgen

// The random-number streams of dbgen (rnd.c / speed_seed.c). Every column
// that needs randomness draws from its own Lehmer stream, and after each row
// the streams of the table being generated are advanced to a fixed per-row
// "boundary" so that row N's values do not depend on how many numbers rows
// 1..N-1 happened to consume. Bit-for-bit fidelity to the C code matters
// here: a single extra or missing draw changes every later row.

const (
	maxStream = 47
	dM        = 2147483647.0

	lehmerMultiplier = 16807
	lehmerModulus    = 2147483647
)

type stream struct {
	value    int64
	usage    int64
	table    Table
	boundary int64
}

// streams is the complete random state of one table generation. Each
// generation owns its own copy, which is what lets several tables be produced
// concurrently from one Generator.
type streams [maxStream + 1]stream

// initialStreams are dbgen's Seed[] table: owning table, starting value and
// per-row boundary of every stream.
var initialStreams = streams{
	{table: TablePart, value: 1, boundary: 1},                            // P_MFG_SD
	{table: TablePart, value: 46831694, boundary: 1},                     // P_BRND_SD
	{table: TablePart, value: 1841581359, boundary: 1},                   // P_TYPE_SD
	{table: TablePart, value: 1193163244, boundary: 1},                   // P_SIZE_SD
	{table: TablePart, value: 727633698, boundary: 1},                    // P_CNTR_SD
	{table: tableNone, value: 933588178, boundary: 1},                    // text pool
	{table: TablePart, value: 804159733, boundary: 2},                    // P_CMNT_SD
	{table: TablePartSupp, value: 1671059989, boundary: suppPerPart},     // PS_QTY_SD
	{table: TablePartSupp, value: 1051288424, boundary: suppPerPart},     // PS_SCST_SD
	{table: TablePartSupp, value: 1961692154, boundary: suppPerPart * 2}, // PS_CMNT_SD
	{table: TableOrders, value: 1227283347, boundary: 1},                 // O_SUPP_SD
	{table: TableOrders, value: 1171034773, boundary: 1},                 // O_CLRK_SD
	{table: TableOrders, value: 276090261, boundary: 2},                  // O_CMNT_SD
	{table: TableOrders, value: 1066728069, boundary: 1},                 // O_ODATE_SD
	{table: TableLineItem, value: 209208115, boundary: oLcntMax},         // L_QTY_SD
	{table: TableLineItem, value: 554590007, boundary: oLcntMax},         // L_DCNT_SD
	{table: TableLineItem, value: 721958466, boundary: oLcntMax},         // L_TAX_SD
	{table: TableLineItem, value: 1371272478, boundary: oLcntMax},        // L_SHIP_SD
	{table: TableLineItem, value: 675466456, boundary: oLcntMax},         // L_SMODE_SD
	{table: TableLineItem, value: 1808217256, boundary: oLcntMax},        // L_PKEY_SD
	{table: TableLineItem, value: 2095021727, boundary: oLcntMax},        // L_SKEY_SD
	{table: TableLineItem, value: 1769349045, boundary: oLcntMax},        // L_SDTE_SD
	{table: TableLineItem, value: 904914315, boundary: oLcntMax},         // L_CDTE_SD
	{table: TableLineItem, value: 373135028, boundary: oLcntMax},         // L_RDTE_SD
	{table: TableLineItem, value: 717419739, boundary: oLcntMax},         // L_RFLG_SD
	{table: TableLineItem, value: 1095462486, boundary: oLcntMax * 2},    // L_CMNT_SD
	{table: TableCustomer, value: 881155353, boundary: 9},                // C_ADDR_SD
	{table: TableCustomer, value: 1489529863, boundary: 1},               // C_NTRG_SD
	{table: TableCustomer, value: 1521138112, boundary: 3},               // C_PHNE_SD
	{table: TableCustomer, value: 298370230, boundary: 1},                // C_ABAL_SD
	{table: TableCustomer, value: 1140279430, boundary: 1},               // C_MSEG_SD
	{table: TableCustomer, value: 1335826707, boundary: 2},               // C_CMNT_SD
	{table: TableSupplier, value: 706178559, boundary: 9},                // S_ADDR_SD
	{table: TableSupplier, value: 110356601, boundary: 1},                // S_NTRG_SD
	{table: TableSupplier, value: 884434366, boundary: 3},                // S_PHNE_SD
	{table: TableSupplier, value: 962338209, boundary: 1},                // S_ABAL_SD
	{table: TableSupplier, value: 1341315363, boundary: 2},               // S_CMNT_SD
	{table: TablePart, value: 709314158, boundary: 92},                   // P_NAME_SD
	{table: TableOrders, value: 591449447, boundary: 1},                  // O_PRIO_SD
	{table: TableLineItem, value: 431918286, boundary: 1},                // HVAR_SD
	{table: TableOrders, value: 851767375, boundary: 1},                  // O_CKEY_SD
	{table: TableNation, value: 606179079, boundary: 2},                  // N_CMNT_SD
	{table: TableRegion, value: 1500869201, boundary: 2},                 // R_CMNT_SD
	{table: TableOrders, value: 1434868289, boundary: 1},                 // O_LCNT_SD
	{table: TableSupplier, value: 263032577, boundary: 1},                // BBB_JNK_SD
	{table: TableSupplier, value: 753643799, boundary: 1},                // BBB_TYPE_SD
	{table: TableSupplier, value: 202794285, boundary: 1},                // BBB_CMNT_SD
	{table: TableSupplier, value: 715851524, boundary: 1},                // BBB_OFFSET_SD
}

// Stream numbers (the *_SD constants of dss.h).
const (
	pMfgSd    = 0
	pBrndSd   = 1
	pTypeSd   = 2
	pSizeSd   = 3
	pCntrSd   = 4
	textSd    = 5
	pCmntSd   = 6
	psQtySd   = 7
	psScstSd  = 8
	psCmntSd  = 9
	oSuppSd   = 10
	oClrkSd   = 11
	oCmntSd   = 12
	oOdateSd  = 13
	lQtySd    = 14
	lDcntSd   = 15
	lTaxSd    = 16
	lShipSd   = 17
	lSmodeSd  = 18
	lPkeySd   = 19
	lSkeySd   = 20
	lSdteSd   = 21
	lCdteSd   = 22
	lRdteSd   = 23
	lRflgSd   = 24
	lCmntSd   = 25
	cAddrSd   = 26
	cNtrgSd   = 27
	cPhneSd   = 28
	cAbalSd   = 29
	cMsegSd   = 30
	cCmntSd   = 31
	sAddrSd   = 32
	sNtrgSd   = 33
	sPhneSd   = 34
	sAbalSd   = 35
	sCmntSd   = 36
	pNameSd   = 37
	oPrioSd   = 38
	oCkeySd   = 40
	nCmntSd   = 41
	rCmntSd   = 42
	oLcntSd   = 43
	bbbJnkSd  = 44
	bbbTypeSd = 45
	bbbCmntSd = 46
	bbbOffSd  = 47
)

// unifInt is dbgen's UnifInt. (Its special case for the range
// [0, MAX_LONG] lives in appendVStr, the only caller with that range.)
func (s *streams) unifInt(low, high int64, n int) int64 {
	st := &s[n]
	st.value = (st.value * lehmerMultiplier) % lehmerModulus
	return low + int64(float64(st.value)/dM*float64(high-low+1))
}

// random is dbgen's RANDOM macro: a uniform draw that counts towards the
// stream's per-row usage.
func (s *streams) random(low, high int64, n int) int64 {
	s[n].usage++
	return s.unifInt(low, high, n)
}

// random64 is dbgen's RANDOM64 (rng64.c), used for keys only at scale
// factors of 30000 and above, where 31-bit draws no longer cover the range.
func (s *streams) random64(low, high int64, n int) int64 {
	if low > high {
		low, high = high, low
	}
	st := &s[n]
	st.value = st.value*6364136223846793005 + 1
	v := st.value
	if v < 0 {
		v = -v
	}
	v %= high - low + 1
	st.usage++
	return low + v
}

// nthElement advances a Lehmer seed by n draws in O(log n).
func nthElement(n int64, seed *int64) {
	mult := int64(lehmerMultiplier)
	z := *seed
	for n > 0 {
		if n%2 != 0 {
			z = (mult * z) % lehmerModulus
		}
		n /= 2
		mult = (mult * mult) % lehmerModulus
	}
	*seed = z
}

// rowStart is dbgen's row_start.
func (s *streams) rowStart() {
	for i := range s {
		s[i].usage = 0
	}
}

// rowStop is dbgen's row_stop_h: every stream of the table (or of its child
// table, for part/partsupp and orders/lineitem) is moved to its boundary.
func (s *streams) rowStop(t, child Table) {
	for i := range s {
		if s[i].table == t || s[i].table == child {
			nthElement(s[i].boundary-s[i].usage, &s[i].value)
		}
	}
}

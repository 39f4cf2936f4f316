package sql

// Transaction is BEGIN [TRANSACTION], COMMIT or ROLLBACK (and their
// synonyms START TRANSACTION, END, ABORT); Kind is BEGIN, COMMIT or
// ROLLBACK. The root package runs them against the database's own
// in-memory tables.
type Transaction struct{ Kind string }

func (*Transaction) statement() {}

// FundCore: the pure domain of WorkshopLedger.
//
// Owns money (integer fen), calendar dates and periods, host units and studios, funds,
// the chart of accounts, vouchers and their invariants, red reversals, period closing rules
// and the canonical voucher text the hash chain covers. It performs no I/O, knows no
// database and has no clock: everything here is a value, testable on its own.
//
// Rejected input is a `Rejection` with a stable code; a bug in our own code is a
// `precondition` (kept in release builds).

// The exporters read FundReports' `BooksSnapshot` (statements are built from the same one). It is
// re-exported, alone, so that every exporter file and every caller of the exporters sees it.
@_exported import struct FundReports.BooksSnapshot

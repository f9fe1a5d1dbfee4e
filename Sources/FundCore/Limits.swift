/// Every limit of the domain, in one place. Names carry their qualifier last
/// (`linesPerVoucherMax`), as TigerBeetle does.
public enum Limits {
    /// The largest amount one voucher line may carry: 999,999,999,999.99 yuan, the largest
    /// amount 大写金额 can spell with 仟亿 as the top unit.
    public static let lineAmountFenMax: Int64 = 99_999_999_999_999
    /// Lines in one voucher. Chinese vouchers print five lines a page; 500 leaves room for
    /// imported payroll-style vouchers without letting a runaway file through.
    public static let linesPerVoucherMax = 500
    /// Attached source documents (附单据张数) on one voucher.
    public static let attachmentsPerVoucherMax = 9_999
    /// Voucher numbers per studio, class and month (记-0001 … 记-9999 is the customary width,
    /// but we let numbers grow past four digits rather than refuse a busy month).
    public static let vouchersPerMonthMax = 999_999
    /// Characters in a memo (摘要); most ERPs cap it at 100 to 200.
    public static let memoLengthMax = 200
    /// Characters in any name field (person, counterparty, studio, host unit).
    public static let nameLengthMax = 100
    /// Errors listed for one import file before the list is cut.
    public static let importErrorsMax = 200
    /// Rows in one import file.
    public static let importRowsMax = 5_000_000
    /// Years a studio's construction window lasts (第四条).
    public static let constructionYears = 2
    /// The subsidy one studio may be approved (第八条(一): a one-time 30,000 yuan); the cap is a
    /// sanity limit on input, the policy decides what is compliant.
    public static let approvedSubsidyFenMax: Int64 = 100_000_000
}

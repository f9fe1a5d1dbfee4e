// FundReportDefinitions: the report definitions WorkshopLedger ships (the performance-evaluation
// indicator set), packaged as resources; the one Swift file here only exposes their location.
import Foundation

public enum ReportDefinitions {
    /// The directory holding `evaluation/`. `WORKSHOP_LEDGER_REPORTS` overrides it.
    public static var root: URL {
        if let override = ProcessInfo.processInfo.environment["WORKSHOP_LEDGER_REPORTS"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return Bundle.module.resourceURL!
    }

    /// The default indicator set of the unit self-evaluation (绩效自评).
    public static var defaultIndicators: URL {
        root.appendingPathComponent("evaluation/indicators-default.json")
    }
}

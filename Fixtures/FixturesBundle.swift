// FundFixtures: the data WorkshopLedger ships with (the default chart of accounts and the
// sample studios for `demo`), packaged as resources so an installed binary finds them.
import Foundation

public enum FixturesBundle {
    /// The directory holding `chart/` and `demo/`. `WORKSHOP_LEDGER_FIXTURES` overrides it, so a
    /// user can point at an edited copy without rebuilding.
    public static var root: URL {
        if let override = ProcessInfo.processInfo.environment["WORKSHOP_LEDGER_FIXTURES"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return Bundle.module.resourceURL!
    }

    public static var defaultChart: URL {
        root.appendingPathComponent("chart/default-chart.csv")
    }

    public static var demoDirectory: URL {
        root.appendingPathComponent("demo", isDirectory: true)
    }
}

extension FixturesBundle {
    /// The eligibility policies shipped, one file per version of the measures.
    public static var policyDirectory: URL {
        root.appendingPathComponent("policy", isDirectory: true)
    }

    /// China's public holidays and make-up working days.
    public static var holidayCalendar: URL {
        root.appendingPathComponent("calendar/cn-public-holidays.csv")
    }
}

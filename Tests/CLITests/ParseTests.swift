import ArgumentParser
import FundCore
import FundRender
import Testing
@testable import workshop_ledger

/// Every subcommand parses as documented and has help; bad usage is refused before anything
/// runs. (EndToEndTests runs each one against a real database.)
@Suite("CLI parsing and help")
struct ParseTests {
    /// Every command in the tree, with its path of names.
    static func commands(_ command: any ParsableCommand.Type = WorkshopLedger.self, path: [String] = []) -> [(path: [String], type: any ParsableCommand.Type)] {
        let name = command.configuration.commandName ?? command._commandName
        let here = path + (command == WorkshopLedger.self ? [] : [name])
        return [(here, command)] + command.configuration.subcommands.flatMap { commands($0, path: here) }
    }

    @Test("every command has an abstract and help that names its options")
    func help() throws {
        let all = Self.commands()
        #expect(all.count >= 45, "the tree lost commands: \(all.map { $0.path.joined(separator: " ") })")
        for (path, type) in all {
            #expect(!type.configuration.abstract.isEmpty, "\(path) has no abstract")
            let help = WorkshopLedger.helpMessage(for: type)
            #expect(help.contains("USAGE:"), "\(path)")
            #expect(help.contains(type.configuration.abstract.prefix(8)), "\(path) help misses its abstract")
        }
    }

    /// One valid command line per leaf command, and the type it parses to.
    static let valid: [([String], any ParsableCommand.Type)] = [
        (["init", "--chart", "c.csv"], Init.self),
        (["accounts", "--format", "json"], Accounts.self),
        (["host-unit", "add", "--credit-code", "X", "--name", "n", "--kind", "enterprise", "--county", "雁江区"], HostUnitCommand.Add.self),
        (["host-unit", "list"], HostUnitCommand.List.self),
        (["studio", "add", "--code", "S1", "--name", "n", "--host-unit", "X", "--leader", "l", "--recognized", "2025-12-15", "--subsidy", "30000"], StudioCommand.Add.self),
        (["studio", "list", "--format", "csv"], StudioCommand.List.self),
        (["studio", "status", "S1", "--as-of", "2026-03-15"], StudioCommand.Status.self),
        (["studio", "advance", "S1", "--to", "revoked", "--date", "2026-01-01", "--by", "市人社局", "--ground", "fraud"], StudioCommand.Advance.self),
        (["studio", "notice", "S1", "--kind", "warning", "--date", "2026-01-01", "--by", "b"], StudioCommand.Notice.self),
        (["studio", "change", "S1", "--kind", "leader", "--date", "2026-01-01"], StudioCommand.Change.self),
        (["studio", "history", "S1"], StudioCommand.History.self),
        (["studio", "repay", "S1", "--date", "2026-01-01", "--amount", "100"], StudioCommand.Repay.self),
        (["voucher", "post", "-"], VoucherCommand.Post.self),
        (["voucher", "show", "记-3", "--studio", "S1", "--period", "2026-03"], VoucherCommand.Show.self),
        (["voucher", "reverse", "3", "--studio", "S1", "--period", "2026-03", "--reason", "r"], VoucherCommand.Reverse.self),
        (["import", "vouchers", "a.csv", "--studio", "S1", "--fund", "subsidy"], ImportCommand.Vouchers.self),
        (["period", "close", "2026-02", "--studio", "S1"], PeriodCommand.Close.self),
        (["period", "reopen", "2026-02", "--studio", "S1", "--reason", "r"], PeriodCommand.Reopen.self),
        (["period", "status", "--studio", "S1"], PeriodCommand.Status.self),
        (["balance", "--studio", "S1", "--fund", "self-raised", "--from", "2026-01", "--to", "2026-06", "--as-of", "2026-06-15", "--format", "pdf", "--out", "b.pdf"], Balance.self),
        (["journal", "--studio", "S1", "--format", "csv", "--encoding", "gb18030"], Journal.self),
        (["ledger", "--studio", "S1", "--account", "100201"], Ledger.self),
        (["verify", "--format", "json"], Verify.self),
        (["check", "--all", "--as-of", "2026-11-20"], Check.self),
        (["finding", "explain", "K", "--text", "t"], FindingCommand.Explain.self),
        (["finding", "accept", "K"], FindingCommand.Accept.self),
        (["finding", "reject", "K", "--note", "n"], FindingCommand.Reject.self),
        (["budget", "set", "--studio", "S1", "--fund", "subsidy", "--category", "equipment", "--amount", "1"], BudgetCommand.Set.self),
        (["budget", "import", "b.csv", "--studio", "S1"], BudgetCommand.Import.self),
        (["budget", "show", "--studio", "S1", "--history"], BudgetCommand.Show.self),
        (["report", "fund-statement", "--studio", "S1", "--format", "xlsx", "--out", "f.xlsx"], ReportCommand.self),
        (["report", "self-evaluation", "--studio", "S1"], ReportCommand.self),
        (["report", "overview", "--county", "雁江区", "--as-of", "2026-11-30", "--format", "xlsx", "--out", "o.xlsx"], ReportCommand.self),
        (["evidence", "add", "f.pdf", "--studio", "S1", "--voucher", "记-2", "--period", "2025-12"], EvidenceCommand.Add.self),
        (["evidence", "list", "--studio", "S1"], EvidenceCommand.List.self),
        (["keys", "generate", "--host-unit", "X"], KeysCommand.Generate.self),
        (["keys", "show", "--host-unit", "X"], KeysCommand.Show.self),
        (["audit-package", "--studio", "S1", "--out", "p.zip"], AuditPackageCommand.Build.self),
        (["audit-package", "build", "--studio", "S1", "--as-of", "2026-10-31", "--out", "p.zip"], AuditPackageCommand.Build.self),
        (["audit-package", "verify", "p.zip", "--public-key", "ab"], AuditPackageCommand.Check.self),
        (["export", "beancount", "--studio", "S1", "--out", "-"], ExportCommand.Data.self),
        (["deadlines", "--as-of", "2027-09-30"], DeadlinesCommand.self),
        (["activity", "add", "--studio", "S1", "--date", "2026-03-12", "--kind", "training", "--title", "t"], ActivityCommand.Add.self),
        (["activity", "import", "a.csv", "--studio", "S1"], ActivityCommand.Import.self),
        (["activity", "list", "--studio", "S1"], ActivityCommand.List.self),
        (["target", "set", "--studio", "S1", "--indicator", "i", "--target", "5"], TargetCommand.Set.self),
        (["target", "list", "--studio", "S1"], TargetCommand.List.self),
        (["evaluation", "--studio", "S1", "--out", "eval"], EvaluationCommand.self),
        (["log", "--by", "周丽", "--action", "voucher"], Log.self),
        (["demo", "--out", "d"], DemoCommand.self),
        (["demo", "--serve", "--port", "8090", "--host", "0.0.0.0"], DemoCommand.self),
        (["serve", "--db", "l.sqlite", "--port", "8081", "--key-dir", "keys", "--secure-cookies", "--quiet"], ServeCommand.self),
        (["overview", "--as-of", "2026-11-30", "--county", "雁江区", "--format", "xlsx", "--out", "o.xlsx"], OverviewCommand.self),
        (["policy", "add", "p.json", "--text", "办法.txt"], PolicyCommand.Add.self),
        (["policy", "list"], PolicyCommand.List.self),
        (["calendar", "add", "2027.csv"], CalendarCommand.Add.self),
        (["calendar", "list"], CalendarCommand.List.self),
        (["confidential", "mark", "--host-unit", "X", "--basis", "b", "--date", "2026-11-01"], ConfidentialCommand.Mark.self),
        (["confidential", "lift", "--host-unit", "X", "--basis", "b"], ConfidentialCommand.Lift.self),
        (["confidential", "list"], ConfidentialCommand.List.self),
        (["confidential", "audit-package", "--studio", "S1", "--out", "p.zip", "--include-confidential-evidence"], ConfidentialCommand.Package.self),
        (["user", "add", "--name", "王主管", "--role", "bureau"], UserCommand.Add.self),
        (["user", "add", "--name", "审计员", "--role", "auditor", "--studio", "S1", "--studio", "S2", "--expires", "2027-12-31", "--password-stdin"], UserCommand.Add.self),
        (["user", "list", "--format", "json"], UserCommand.List.self),
        (["user", "disable", "--name", "王主管"], UserCommand.Disable.self),
        (["user", "reset-password", "--name", "王主管"], UserCommand.ResetPassword.self),
        (["studio", "change-effect", "S1", "--change", "1", "--new-leader", "王师傅"], StudioCommand.ChangeEffect.self),
        (["import", "vouchers", "k3.csv", "--studio", "S1", "--host-codes"], ImportCommand.Vouchers.self),
        (["mapping", "import", "m.csv", "--host-unit", "X"], MappingCommand.Import.self),
        (["mapping", "list", "--host-unit", "X", "-o", "m.csv", "--encoding", "gb18030"], MappingCommand.List.self),
        (["export", "erp", "--format", "kingdee", "--studio", "S1", "--period", "2025-12..2026-06", "-o", "k.csv"], ERPCommand.Export.self),
        (["studio", "budget-basis", "C1", "--fund", "补助资金", "--account", "600101"], StudioCommand.BudgetBasis.self),
        (["voucher", "budget-close", "--studio", "C1", "--year", "2025", "--reviewer", "王主管"], VoucherCommand.BudgetClose.self),
    ]

    @Test("every leaf command parses from a documented command line")
    func parses() throws {
        for (arguments, expected) in Self.valid {
            let command = try WorkshopLedger.parseAsRoot(arguments)
            #expect(type(of: command) == expected, "\(arguments)")
        }
        let leaves = Self.commands().filter { $0.type.configuration.subcommands.isEmpty }.map { ObjectIdentifier($0.type) }
        let covered = Set(Self.valid.map { ObjectIdentifier($0.1) })
        #expect(Set(leaves).isSubset(of: covered), "a leaf command has no parse test")
    }

    @Test("options land where they belong")
    func values() throws {
        let balance = try #require(try WorkshopLedger.parseAsRoot(Self.valid[19].0) as? Balance)
        #expect(balance.fund == .selfRaised && balance.range.from?.iso == "2026-01" && balance.range.asOf?.iso == "2026-06-15")
        #expect(balance.output.format == .pdf && balance.output.out == "b.pdf")
        let journal = try #require(try WorkshopLedger.parseAsRoot(Self.valid[20].0) as? Journal)
        #expect(journal.output.encoding == .gb18030 && journal.output.out == "-")
        let serve = try #require(try WorkshopLedger.parseAsRoot(["serve", "--port", "8081", "--key-dir", "k", "--secure-cookies"]) as? ServeCommand)
        #expect(serve.web.port == 8081 && serve.web.host == "127.0.0.1" && serve.web.keyDirectory == "k" && serve.web.secureCookies && !serve.web.quiet)
        let demo = try #require(try WorkshopLedger.parseAsRoot(["demo"]) as? DemoCommand)
        #expect(!demo.serve && demo.web.port == 8080, "demo serves only when asked")
        let change = try #require(try WorkshopLedger.parseAsRoot(["studio", "change", "S1", "--reported", "2", "--date", "2026-01-01"]) as? StudioCommand.Change)
        guard case .reported(id: 2) = change.step else {
            Issue.record("--reported 2 is step .reported(2)")
            return
        }
    }

    @Test("bad usage is refused at parse time", arguments: [
        ["balance"],                                                     // --studio missing
        ["balance", "--studio", "S1", "--format", "docx"],              // unknown format
        ["balance", "--studio", "S1", "--from", "2026-13"],             // not a month
        ["balance", "--studio", "S1", "--as-of", "2026-02-30"],         // not a day
        ["balance", "--studio", "S1", "--encoding", "gb18030"],         // encoding only for csv
        ["check"],                                                       // neither --studio nor --all
        ["check", "--studio", "S1", "--all"],                            // both
        ["report", "balance-sheet", "--studio", "S1"],                   // unknown report
        ["report", "journal", "--studio", "S1", "--account", "1002"],    // --account only for 明细账
        ["studio", "change", "S1", "--date", "2026-01-01"],             // no step
        ["studio", "change", "S1", "--kind", "leader", "--reported", "1", "--date", "2026-01-01"],
        ["studio", "change-effect", "S1", "--change", "1"],                           // neither new leader nor host unit
        ["studio", "change-effect", "S1", "--change", "1", "--new-leader", "a", "--new-host-unit", "b"],
        ["export", "xbrl", "--studio", "S1", "--out", "x"],
        ["import", "vouchers", "a.csv", "--studio", "S1", "--fund", "gift"],
        ["frobnicate"],
    ])
    func refused(_ arguments: [String]) {
        #expect(throws: (any Error).self, "\(arguments)") { _ = try WorkshopLedger.parseAsRoot(arguments) }
    }
}

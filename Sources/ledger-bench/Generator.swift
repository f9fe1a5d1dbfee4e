import FundCore
import Foundation

/// Deterministic voucher files: per studio a subsidy receipt, then alternating two-line
/// payments and four-line purchases split across two funds (3 lines a voucher on average),
/// spread over the two years of a construction window, 2020-01 to 2021-12.
struct VoucherFileGenerator {
    let vouchers: Int

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
    }

    static let header = "日期,凭证字,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,附单据数,结算方式,发票代码,发票号码,往来单位,制单人,审核人\n"
    static let expenseAccounts = ["500101", "500102", "500103", "500104", "500105", "500106"]

    func file(seed: UInt64) -> (String, Int) {
        var text = ""
        let lines = write(seed: seed) { text += $0 }
        return (text, lines)
    }

    /// Writes the file to `url` a megabyte at a time (the import's peak memory is measured
    /// in the same process, so the generator must not hold the file either).
    func write(to url: URL, seed: UInt64) throws -> Int {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = ""
        var failure: Error? = nil
        let lines = write(seed: seed) { piece in
            buffer += piece
            if buffer.utf8.count >= 1 << 20, failure == nil {
                do { try handle.write(contentsOf: Data(buffer.utf8)) } catch { failure = error }
                buffer = ""
            }
        }
        if let failure { throw failure }
        try handle.write(contentsOf: Data(buffer.utf8))
        return lines
    }

    /// Hands the file's text to `output` piece by piece; returns its posting lines.
    func write(seed: UInt64, _ output: (String) -> Void) -> Int {
        var random = Random(state: seed)
        var text = Self.header
        var lines = 0
        var numbers: [Int: Int] = [:]
        let perMonth = max(1, vouchers / 24 + 1)
        for index in 0..<vouchers {
            let month = min(index / perMonth, 23)
            let year = 2020 + month / 12
            let monthOfYear = month % 12 + 1
            let day = 1 + Int(random.next() % 28)
            let date = "\(year)-\(monthOfYear < 10 ? "0" : "")\(monthOfYear)-\(day < 10 ? "0" : "")\(day)"
            let number = (numbers[month] ?? 0) + 1
            numbers[month] = number
            let head = "\(date),记,\(number),"
            if index % 60 == 0 {
                let fen = 3_000_000
                text += head + "收到补助资金,100201,补助资金,\(money(fen)),,1,银行转账,,,资阳市财政局,李会计,王主管\n"
                text += head + "收到补助资金,400101,补助资金,,\(money(fen)),,,,,,,\n"
                lines += 2
            } else if index % 2 == 0 {
                let account = Self.expenseAccounts[Int(random.next() % 6)]
                let fen = 100 + Int(random.next() % 500_000)
                text += head + "支付项目费用,\(account),企业支持资金,\(money(fen)),,1,银行转账,,,资阳某供应商,李会计,王主管\n"
                text += head + "支付项目费用,100201,企业支持资金,,\(money(fen)),,,,,,,\n"
                lines += 2
            } else {
                let a = 100 + Int(random.next() % 300_000)
                let b = 100 + Int(random.next() % 300_000)
                text += head + "购置设备（分资金列支）,500101,补助资金,\(money(a)),,2,银行转账,,,资阳机床厂,李会计,王主管\n"
                text += head + "购置设备（分资金列支）,500101,自筹资金,\(money(b)),,,,,,,,\n"
                text += head + "支付设备款,100201,补助资金,,\(money(a)),,,,,,,\n"
                text += head + "支付设备款,100201,自筹资金,,\(money(b)),,,,,,,\n"
                lines += 4
            }
            if text.utf8.count >= 1 << 16 {
                output(text)
                text = ""
            }
        }
        output(text)
        return lines
    }

    func money(_ fen: Int) -> String {
        let cents = fen % 100
        return "\(fen / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

import FundCore
import Foundation

/// Reads vouchers written as JSON (`voucher post FILE.json`): one voucher object, or an array
/// of them (posted all or nothing). Amounts are strings in yuan ("12000.00") or integers of fen
/// (`amountFen`); never JSON floating-point numbers, which cannot carry fen exactly.
public enum VoucherJSON {
    struct Line: Decodable {
        let memo: String?
        let account: String?
        let fund: String?
        let side: String?
        let amount: String?
        let amountFen: Int64?
        let invoiceCode: String?
        let invoiceNumber: String?
    }

    struct Voucher: Decodable {
        let studio: String?
        let date: String?
        let `class`: String?
        let attachments: Int?
        let settlement: String?
        let counterparty: String?
        let preparer: String?
        let reviewer: String?
        let poster: String?
        let sourceRef: String?
        let lines: [Line]?
    }

    /// Parses the file; `defaultPreparer` fills a missing preparer (the CLI passes `--user`).
    public static func read(_ data: Data, file: String, defaultPreparer: String? = nil) throws(LocatedRejection) -> [VoucherDraft] {
        let vouchers: [Voucher]
        do {
            if let single = try? JSONDecoder().decode(Voucher.self, from: data), single.lines != nil {
                vouchers = [single]
            } else {
                vouchers = try JSONDecoder().decode([Voucher].self, from: data)
            }
        } catch {
            throw LocatedRejection(file: file, line: nil, rejection: Rejection(.voucherJSONInvalid, "不是有效的凭证 JSON：\(describe(error))"))
        }
        var drafts: [VoucherDraft] = []
        for (index, voucher) in vouchers.enumerated() {
            let prefix = vouchers.count > 1 ? "[\(index)]." : ""
            do {
                drafts.append(try draft(voucher, defaultPreparer: defaultPreparer))
            } catch {
                let field = error.field.map { prefix + $0 }
                throw LocatedRejection(file: file, line: nil, rejection: Rejection(error.code, field: field, line: error.lineIndex, error.message))
            }
        }
        return drafts
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path)：\(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    static func draft(_ voucher: Voucher, defaultPreparer: String?) throws(Rejection) -> VoucherDraft {
        guard let studio = voucher.studio, !studio.trimmingSpaces.isEmpty else {
            throw Rejection(.studioUnknown, field: "studio", "缺少工作室编号 studio")
        }
        guard let dateText = voucher.date else { throw Rejection(.dateInvalid, field: "date", "缺少日期 date") }
        let date = try field("date") { () throws(Rejection) in try CalendarDate.parse(dateText) }
        let voucherClass = try VoucherClass.parse(voucher.class ?? "")
        var lines: [VoucherLine] = []
        for (index, line) in (voucher.lines ?? []).enumerated() {
            lines.append(try field("lines[\(index)]", line: index) { () throws(Rejection) in try Self.line(line) })
        }
        let settlement = try voucher.settlement.map { text throws(Rejection) in try Settlement.parse(text) }
        return VoucherDraft(
            studio: studio.trimmingSpaces, date: date, voucherClass: voucherClass, lines: lines,
            attachments: voucher.attachments ?? 0, settlement: settlement,
            counterparty: voucher.counterparty?.trimmingSpaces ?? "",
            preparer: (voucher.preparer ?? defaultPreparer ?? "").trimmingSpaces,
            reviewer: voucher.reviewer?.trimmingSpaces ?? "", poster: voucher.poster?.trimmingSpaces ?? "",
            sourceRef: voucher.sourceRef)
    }

    static func line(_ line: Line) throws(Rejection) -> VoucherLine {
        let fund = try Fund.parse(line.fund ?? "")
        let side = try Side.parse(line.side ?? "")
        let amount: Money
        switch (line.amount, line.amountFen) {
        case (let text?, nil): amount = try field("amount") { () throws(Rejection) in try Money.parse(text) }
        case (nil, let fen?): amount = Money(fen: fen)
        case (nil, nil): throw Rejection(.moneyEmpty, field: "amount", "缺少金额（amount 或 amountFen）")
        case (_?, _?): throw Rejection(.moneyInvalidCharacter, field: "amount", "amount 与 amountFen 只能填一个")
        }
        let invoice = try InvoiceKey.parse(code: line.invoiceCode ?? "", number: line.invoiceNumber ?? "")
        return VoucherLine(
            memo: line.memo?.trimmingSpaces ?? "", account: line.account?.trimmingSpaces ?? "", fund: fund, side: side,
            amount: amount, invoice: invoice)
    }

    /// Prefixes the field path of a rejection thrown by `body`.
    static func field<T>(_ name: String, line: Int? = nil, _ body: () throws(Rejection) -> T) throws(Rejection) -> T {
        do { return try body() } catch {
            let path = error.field.map { $0 == name ? name : name + "." + $0 } ?? name
            throw Rejection(error.code, field: path, line: line ?? error.lineIndex, error.message)
        }
    }
}

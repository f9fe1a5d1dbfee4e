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
        if let problem = JSONNumberScan.firstProblem(in: data) {
            throw LocatedRejection(file: file, line: nil, rejection: Rejection(.jsonAmountType, field: problem.path, problem.message))
        }
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
        guard !vouchers.isEmpty else {
            throw LocatedRejection(file: file, line: nil, rejection: Rejection(.voucherJSONInvalid, "文件中没有凭证（空数组）"))
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
            preparer: PersonName.normalized(voucher.preparer ?? defaultPreparer ?? ""),
            reviewer: PersonName.normalized(voucher.reviewer ?? ""), poster: PersonName.normalized(voucher.poster ?? ""),
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

/// Finds, before decoding, the numbers of a voucher JSON that cannot be exact: `JSONDecoder`
/// reads `20000.0` and `2e4` into an `Int64` without complaint, so the token itself is looked
/// at. `amountFen` and `attachments` must be JSON integers (digits, an optional minus); `amount`
/// must be a string of yuan. Only the shape is checked here; what does not parse is left to the
/// decoder (V028).
enum JSONNumberScan {
    struct Problem {
        let path: String
        let message: String
    }

    static let integerKeys: Set<String> = ["amountFen", "attachments"]
    static let stringKeys: Set<String> = ["amount"]

    private enum Container {
        case object(key: String?)
        case array(index: Int)
    }

    static func firstProblem(in data: Data) -> Problem? {
        let bytes = [UInt8](data)
        var stack: [Container] = []
        var position = 0
        var expectingKey = false

        func path() -> String {
            var text = ""
            for container in stack {
                switch container {
                case .array(let index): text += "[\(index)]"
                case .object(let key):
                    guard let key else { continue }
                    text += (text.isEmpty ? "" : ".") + key
                }
            }
            return text
        }

        func currentKey() -> String? {
            if case .object(let key)? = stack.last { return key }
            return nil
        }

        /// Reads a string token starting at the quote; returns its text (escapes resolved, so
        /// that "amount\u0046en" is the key amountFen, as the decoder will read it).
        func readString(_ start: Int) -> (String, Int)? {
            var index = start + 1
            var escaped = false
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"):
                    escaped = true
                    index += 2
                case UInt8(ascii: "\""):
                    let token = bytes[start...index]
                    let text: String
                    if escaped {
                        let value = try? JSONSerialization.jsonObject(with: Data(token), options: .fragmentsAllowed)
                        text = value as? String ?? String(decoding: token.dropFirst().dropLast(), as: UTF8.self)
                    } else {
                        text = String(decoding: token.dropFirst().dropLast(), as: UTF8.self)
                    }
                    return (text, index + 1)
                default: index += 1
                }
            }
            return nil
        }

        /// A value begins at `index`: check it against the key it belongs to.
        func checkValue(at index: Int) -> Problem? {
            guard let key = currentKey() else { return nil }
            let byte = bytes[index]
            if integerKeys.contains(key) {
                if byte == UInt8(ascii: "n") { return nil }  // null: as if absent
                if byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                    var end = index
                    while end < bytes.count, "+-0123456789.eE".utf8.contains(bytes[end]) { end += 1 }
                    let token = String(decoding: bytes[index..<end], as: UTF8.self)
                    if token.utf8.contains(where: { ".eE+".utf8.contains($0) }) {
                        return Problem(
                            path: path(),
                            message: "\(key) 须为 JSON 整数\(key == "amountFen" ? "（单位：分）" : "")，不能写成 \(token)：浮点数表示不了精确到分的金额；金额可写成字符串 \"amount\": \"200.00\"")
                    }
                    return nil
                }
                let shown = byte == UInt8(ascii: "\"") ? "字符串" : byte == UInt8(ascii: "t") || byte == UInt8(ascii: "f") ? "true/false" : "非整数值"
                return Problem(path: path(), message: "\(key) 须为 JSON 整数，不能是\(shown)")
            }
            if stringKeys.contains(key), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "n") {
                return Problem(
                    path: path(),
                    message: "\(key) 须为以元为单位的字符串（如 \"20000.00\"），不能是 JSON 数字或其他值；整数分请用 amountFen")
            }
            return nil
        }

        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"):
                if let problem = checkValue(at: position) { return problem }
                stack.append(.object(key: nil))
                expectingKey = true
                position += 1
            case UInt8(ascii: "["):
                if let problem = checkValue(at: position) { return problem }
                stack.append(.array(index: 0))
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                position += 1
            case UInt8(ascii: ","):
                if case .array(let index)? = stack.last {
                    stack[stack.count - 1] = .array(index: index + 1)
                } else if case .object? = stack.last {
                    stack[stack.count - 1] = .object(key: nil)
                    expectingKey = true
                }
                position += 1
            case UInt8(ascii: ":"):
                position += 1
            case UInt8(ascii: "\""):
                guard let (text, next) = readString(position) else { return nil }
                if expectingKey, case .object? = stack.last {
                    stack[stack.count - 1] = .object(key: text)
                    expectingKey = false
                } else if let problem = checkValue(at: position) {
                    return problem
                }
                position = next
            case 0x20, 0x09, 0x0A, 0x0D:
                position += 1
            default:
                // A number or literal.
                if let problem = checkValue(at: position) { return problem }
                while position < bytes.count, !",]} \t\n\r".utf8.contains(bytes[position]) { position += 1 }
            }
        }
        return nil
    }
}

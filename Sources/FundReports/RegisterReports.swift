import FundCore

// The registers the CLI lists: 科目表, 依托单位, 工作室, 签名公钥, 电子单据. Each builder returns
// the document every format renders and the value `--format json` prints.

public enum RegisterReports {
    /// `accounts --format json`: one object per account; `role` and `category` only when set.
    public struct AccountJSON: Sendable, Codable, Hashable {
        public let code, name, type, normalSide: String
        public let role, category: String?
        public let funds: [String]
        public let leaf: Bool
    }

    public struct HostUnitJSON: Sendable, Codable, Hashable {
        public let creditCode: String
        public let name: String
        public let kind: String
        public let county: String
    }

    public struct StudioJSON: Sendable, Codable, Hashable {
        public let code: String
        public let name: String
        public let hostUnit: String
        public let leader: String
        public let field: String
        public let recognized: CalendarDate
        public let constructionEnds: CalendarDate
        public let approvedSubsidyFen: Money
        /// The approved changes of leader and host unit in effect (第十一条), oldest first; absent
        /// when there are none. `leader` and `hostUnit` above are the current ones.
        public var changes: [ChangeEffectJSON]? = nil
    }

    /// One change of leader or host unit in effect from `effective`.
    public struct ChangeEffectJSON: Sendable, Codable, Hashable {
        public let studio: String
        public let change: Int
        public let kind: String
        public let effective: CalendarDate
        public let leader: String?
        public let hostUnit: String?
        public let at: String
        public let user: String

        public init(_ effect: StudioChangeEffect) {
            studio = effect.studio
            change = effect.change
            kind = effect.target.kind.rawValue
            effective = effect.effective
            switch effect.target {
            case .leader(let name): (leader, hostUnit) = (name, nil)
            case .hostUnit(let code): (leader, hostUnit) = (nil, code.text)
            }
            at = effect.at
            user = effect.user
        }
    }

    /// One stretch of a studio's leader or host unit (沿革).
    public struct StudioStretchJSON: Sendable, Codable, Hashable {
        public let kind: String
        public let value: String
        public let name: String
        public let from: CalendarDate
        public let until: CalendarDate?
        public let change: Int?
    }

    public struct SigningKeyJSON: Sendable, Codable, Hashable {
        public let hostUnit: String
        public let publicKeyHex: String
        public let fingerprint: String
        public let at: String
        public let user: String
        /// The last registered key signs; earlier ones were replaced.
        public let current: Bool
    }

    public struct EvidenceJSON: Sendable, Codable, Hashable {
        public let studio: String
        public let period: String
        public let voucher: String
        public let fileName: String
        public let size: Int
        public let sha256: String
        public let at: String
        public let user: String
    }

    /// 科目表: the chart in code order, names indented by level.
    public static func accounts(_ chart: ChartOfAccounts) -> AnyReport {
        let value = chart.accounts.map {
            AccountJSON(
                code: $0.code, name: $0.name, type: $0.type.rawValue, normalSide: $0.normalSide.rawValue,
                role: $0.role?.rawValue, category: $0.declaredCategory?.rawValue, funds: $0.funds.map(\.rawValue), leaf: $0.isLeaf)
        }
        let rows = chart.accounts.map { account in
            Row(.body, indent: account.level - 1, [
                .text(account.code), .text(account.name), .text(account.type.chineseName), .text(account.normalSide.chinese),
                .optionalText(account.role?.rawValue ?? account.declaredCategory?.rawValue),
                .optionalText(account.funds.map(\.chineseName).joined(separator: "、")), account.isLeaf ? .text("是") : .empty,
            ])
        }
        let table = DocumentTable(
            name: "科目表",
            columns: [
                Column("科目编码", .code, width: 10), Column("科目名称", .text, width: 24), Column("类别", .text, width: 8),
                Column("方向", .text, width: 4), Column("用途/支出类别", .code, width: 20), Column("适用资金", .text, width: 24),
                Column("末级", .text, width: 4),
            ],
            rows: rows)
        return AnyReport(
            document: .view(.accounts, titleBlock: [LabeledValue("科目数", "\(chart.accounts.count)"), LabeledValue("末级科目", "\(chart.leaves.count)")],
                            blocks: [.table(table)], orientation: .landscape),
            value: value)
    }

    /// 依托单位.
    public static func hostUnits(_ units: [HostUnit]) -> AnyReport {
        let value = units.map {
            HostUnitJSON(creditCode: $0.creditCode.text, name: $0.name, kind: $0.kind.rawValue, county: $0.county)
        }
        let table = DocumentTable(
            name: "依托单位",
            columns: [
                Column("统一社会信用代码", .code, width: 20), Column("名称", .text, width: 30), Column("类型", .text, width: 14),
                Column("县（区）", .text, width: 12),
            ],
            rows: units.map { Row(.body, [.text($0.creditCode.text), .text($0.name), .text($0.kind.chineseName), .text($0.county)]) })
        let blocks: [Block] = units.isEmpty ? [.paragraph("尚未登记依托单位（workshop-ledger host-unit add）")] : [.table(table)]
        return AnyReport(document: .view(.hostUnits, blocks: blocks), value: value)
    }

    /// 工作室列表: each studio as it is now (`studios` are the current values); with `effects`,
    /// a second table lists every change of leader or host unit in effect (第十一条) with its date.
    public static func studios(_ studios: [Studio], effects: [StudioChangeEffect] = [], hostUnits: [HostUnit] = []) -> AnyReport {
        let byStudio = Dictionary(grouping: effects, by: \.studio)
        let value = studios.map {
            var json = StudioJSON(
                code: $0.code, name: $0.name, hostUnit: $0.hostUnit.text, leader: $0.leader, field: $0.field, recognized: $0.recognized,
                constructionEnds: $0.constructionWindow.upperBound, approvedSubsidyFen: $0.approvedSubsidy)
            if let changes = byStudio[$0.code], !changes.isEmpty { json.changes = changes.map(ChangeEffectJSON.init) }
            return json
        }
        let table = DocumentTable(
            name: "工作室",
            columns: [
                Column("编号", .code, width: 12), Column("名称", .text, width: 30), Column("领办人", .text, width: 8),
                Column("认定日期", .date, width: 11), Column("建设期止", .date, width: 11), Column("核定补助", .money, width: 14),
            ],
            rows: studios.map {
                Row(.body, [
                    .text($0.code), .text($0.name), .text($0.leader), .date($0.recognized), .date($0.constructionWindow.upperBound),
                    .money($0.approvedSubsidy),
                ])
            })
        var blocks: [Block] = studios.isEmpty ? [.paragraph("尚未登记工作室（workshop-ledger studio add）")] : [.table(table)]
        let listed = effects.filter { effect in studios.contains { $0.code == effect.studio } }
        if !listed.isEmpty { blocks.append(.table(changeTable(listed, hostUnits: hostUnits))) }
        return AnyReport(document: .view(.studios, blocks: blocks), value: value)
    }

    /// 领办人、依托单位变更（第十一条）: one row per change in effect.
    static func changeTable(_ effects: [StudioChangeEffect], hostUnits: [HostUnit]) -> DocumentTable {
        let names = Dictionary(hostUnits.map { ($0.creditCode, $0.name) }, uniquingKeysWith: { first, _ in first })
        return DocumentTable(
            name: "领办人、依托单位变更", caption: "领办人、依托单位变更（第十一条，自答复之日起生效）",
            columns: [
                Column("工作室", .code, width: 12), Column("生效日期", .date, width: 11), Column("变动编号", .code, width: 8),
                Column("变更事项", .text, width: 16), Column("变更为", .text, width: 24), Column("记录人", .text, width: 10),
            ],
            rows: effects.sorted { ($0.studio, $0.effective, $0.id) < ($1.studio, $1.effective, $1.id) }.map { effect in
                let to: String
                switch effect.target {
                case .leader(let name): to = name
                case .hostUnit(let code): to = names[code].map { "\($0)（\(code.text)）" } ?? code.text
                }
                return Row(.body, [
                    .text(effect.studio), .date(effect.effective), .text("\(effect.change)"), .text(effect.target.kind.chineseName),
                    .text(to), .optionalText(effect.user),
                ])
            })
    }

    /// 领办人与依托单位沿革 of one studio: who led and which unit hosted it, each from the day
    /// it took over (the first from recognition) until the next change (第十一条).
    public static func studioHistory(_ history: StudioHistory, hostUnits: [HostUnit]) -> AnyReport {
        let names = Dictionary(hostUnits.map { ($0.creditCode.text, $0.name) }, uniquingKeysWith: { first, _ in first })
        func rows(_ kind: String, _ stretches: [StudioHistory.Stretch], name: (String) -> String) -> [StudioStretchJSON] {
            stretches.enumerated().map { index, stretch in
                StudioStretchJSON(
                    kind: kind, value: stretch.value, name: name(stretch.value), from: stretch.from,
                    until: index + 1 < stretches.count ? stretches[index + 1].from : nil, change: stretch.change)
            }
        }
        let value = rows("leader", history.leaders) { $0 } + rows("host-unit", history.hostUnits) { names[$0] ?? "（未登记）" }
        let table = DocumentTable(
            name: "领办人与依托单位沿革", caption: "领办人与依托单位沿革（第十一条）",
            columns: [
                Column("事项", .text, width: 8), Column("自", .date, width: 11), Column("至", .text, width: 11),
                Column("领办人/依托单位", .text, width: 40), Column("依据", .text, width: 20),
            ],
            rows: value.map { item in
                let what = item.kind == "leader" ? "领办人" : "依托单位"
                let who = item.kind == "leader" ? item.value : "\(item.name)（\(item.value)）"
                let basis = item.change.map { "第 \($0) 号变动（第十一条）" } ?? "认定登记"
                return Row(.body, [.text(what), .date(item.from), .text(item.until.map { "\($0.iso) 前" } ?? "至今"), .text(who), .text(basis)])
            })
        let studio = history.original
        return AnyReport(
            document: .view(
                .studios, titleBlock: [LabeledValue("工作室", "\(studio.name)（\(studio.code)）")], blocks: [.table(table)],
                orientation: .landscape, stem: "\(studio.code)-history"),
            value: value)
    }

    /// 签名公钥 of a host unit, first to last; the last is 现行 (in force), the others 已替换.
    public static func signingKeys(_ keys: [SigningKey], hostUnit: String) -> AnyReport {
        let value = keys.enumerated().map { index, key in
            SigningKeyJSON(
                hostUnit: key.hostUnit, publicKeyHex: key.publicKeyHex, fingerprint: key.fingerprint, at: key.at, user: key.user,
                current: index == keys.count - 1)
        }
        let table = DocumentTable(
            name: "签名公钥",
            columns: [
                Column("状态", .text, width: 6), Column("登记时间", .code, width: 20), Column("操作人", .text, width: 8),
                Column("指纹", .code, width: 16), Column("公钥", .code, width: 64),
            ],
            rows: value.map {
                Row(.body, [.text($0.current ? "现行" : "已替换"), .text($0.at), .text($0.user), .text($0.fingerprint), .text($0.publicKeyHex)])
            })
        let blocks: [Block] = keys.isEmpty ? [.paragraph("依托单位 \(hostUnit) 尚未登记签名公钥")] : [.table(table)]
        return AnyReport(
            document: .view(.signingKeys, titleBlock: [LabeledValue("依托单位", hostUnit)], blocks: blocks, orientation: .landscape, stem: hostUnit),
            value: value)
    }

    /// 电子单据 of a studio, as stored.
    public static func evidence(_ files: [EvidenceFile], studio: String) -> AnyReport {
        let value = files.map {
            EvidenceJSON(
                studio: $0.voucher.studio, period: $0.voucher.period.iso, voucher: $0.voucher.label, fileName: $0.fileName, size: $0.size,
                sha256: $0.sha256, at: $0.at, user: $0.user)
        }
        let table = DocumentTable(
            name: "电子单据",
            columns: [
                Column("期间", .code, width: 8), Column("凭证", .code, width: 8), Column("文件名", .text, width: 30),
                Column("字节", .count, width: 10), Column("SHA-256", .code, width: 64),
            ],
            rows: files.map {
                Row(.body, [.text($0.voucher.period.iso), .text($0.voucher.label), .text($0.fileName), .count($0.size), .text($0.sha256)])
            })
        let blocks: [Block] = files.isEmpty ? [.paragraph("工作室 \(studio) 没有电子单据")] : [.table(table)]
        return AnyReport(
            document: .view(.evidence, titleBlock: [LabeledValue("工作室", studio)], blocks: blocks, orientation: .landscape, stem: studio),
            value: value)
    }
}

import FundCore

/// A built report of any value type: its document for the renderers and its value for JSON.
/// What `ReportOutput.render` takes, whether the report is a statement or one of the CLI's
/// views.
public struct AnyReport: Sendable {
    public let document: ReportDocument
    public let value: any Encodable & Sendable

    public init<V: Codable & Sendable>(_ built: BuiltReport<V>) {
        self.document = built.document
        self.value = built.value
    }

    public init(document: ReportDocument, value: any Encodable & Sendable) {
        self.document = document
        self.value = value
    }

    /// The same report dated `date` (编制日期; renderers stamp it as the file time).
    public func dated(_ date: CalendarDate?) -> AnyReport {
        var document = document
        document.date = date
        return AnyReport(document: document, value: value)
    }
}

// Shared by the view builders.
extension ReportDocument {
    /// A one-section view: no signatures, portrait unless told.
    static func view(
        _ kind: ViewKind, titleBlock: [LabeledValue] = [], blocks: [Block], heading: String? = nil,
        orientation: Orientation = .portrait, stem: String? = nil
    ) -> ReportDocument {
        ReportDocument(
            view: kind, title: kind.chineseTitle, titleBlock: titleBlock,
            sections: [DocumentSection(heading: heading, blocks: blocks)], orientation: orientation,
            fileStem: stem.map { "\($0)-\(kind.rawValue)" } ?? kind.rawValue)
    }
}

extension Cell {
    /// Text, or empty for nil or "".
    static func optionalText(_ text: String?) -> Cell {
        guard let text, !text.isEmpty else { return .empty }
        return .text(text)
    }
}

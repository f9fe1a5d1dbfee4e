import FundCore
internal import GRDB

extension SQLiteCompliance {
    /// The review state of every finding key that has notes, from the latest explanation on.
    func findingReviews(studio: String?) throws -> [String: FindingReview] {
        try queue.read { db in
            let notes = try FindingNoteRecord.fetchAll(
                db, sql: "SELECT * FROM finding_note WHERE ? IS NULL OR studio = ? ORDER BY id", arguments: [studio, studio])
            var reviews: [String: FindingReview] = [:]
            for note in notes {
                let key = note.findingKey
                let text = note.text
                let user = note.user
                switch note.action {
                case "explain":
                    reviews[key] = FindingReview(status: .explained, explanation: text, explainedBy: user, decidedBy: nil, decisionNote: nil)
                case let action:
                    guard let current = reviews[key] else { continue }
                    reviews[key] = FindingReview(
                        status: action == "accept" ? .accepted : .rejected, explanation: current.explanation,
                        explainedBy: current.explainedBy, decidedBy: user, decisionNote: text.isEmpty ? nil : text)
                }
            }
            return reviews
        }
    }

    /// Records an explanation (`explain`) or a reviewer's decision (`accept`/`reject`) on a
    /// finding, with the same entry in the operation log. A decision needs an explanation to
    /// decide on, and may not come from the person who wrote it.
    func addFindingNote(key: String, studio: String, action: String, text: String, stamp: Stamp) throws {
        try queue.write { db in
            let latestExplanation = try Row.fetchOne(
                db, sql: "SELECT user FROM finding_note WHERE finding_key = ? AND action = 'explain' ORDER BY id DESC LIMIT 1",
                arguments: [key])
            switch action {
            case "explain":
                guard !text.trimmingSpaces.isEmpty else {
                    throw Rejection(.reasonMissing, field: "text", "说明内容不能为空")
                }
            default:
                guard let explainedBy = latestExplanation?["user"] as String? else {
                    throw Rejection(.reasonMissing, field: "finding", "发现 \(key) 还没有说明，无从审核")
                }
                guard explainedBy != stamp.user else {
                    throw Rejection(.reasonMissing, field: "user", "说明由 \(explainedBy) 提交，须由另一人审核")
                }
                if action == "reject" && text.trimmingSpaces.isEmpty {
                    throw Rejection(.reasonMissing, field: "note", "驳回须说明理由")
                }
            }
            try db.execute(
                sql: "INSERT INTO finding_note (finding_key, studio, action, text, at, user) VALUES (?,?,?,?,?,?)",
                arguments: [key, studio, action, text.trimmingSpaces, stamp.at, stamp.user])
            let verb = ["explain": "说明", "accept": "接受说明", "reject": "驳回说明"][action] ?? action
            try LedgerStore.appendLog(db, stamp: stamp, action: "finding.\(action)", studio: studio, detail: "\(verb) \(key)：\(text.trimmingSpaces)")
        }
    }
}

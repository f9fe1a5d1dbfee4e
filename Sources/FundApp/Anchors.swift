import FundCore
import Foundation

// Anchors outside the file: an audit package (or the manifest.json of one, which a county
// bureau can keep on its own) records the head of the studio's voucher chain and of the
// operation log as they were handed over. Each link's hash covers everything before it, so the
// books extend exactly what was handed over when the link at each recorded position still has
// the recorded hash. A voucher rewritten and the chain re-hashed after it, or the end of the
// log cut off, passes `verify` alone but not this.

/// The chain heads a package recorded: the manifest's `studio.code`, `voucherChain` and
/// `operationLog` (a package, or its manifest.json kept apart, or any JSON with those keys).
struct HandedOverHeads: Decodable {
    struct Studio: Decodable { let code: String }
    let studio: Studio
    let voucherChain: PackageManifest.ChainHead
    let operationLog: PackageManifest.ChainHead
}

extension AdminDesk {
    /// `verify`, and then that the books extend what `data` recorded: an audit package ZIP (its
    /// signature must be sound) or a manifest/heads JSON file.
    public func verify(against data: Data, file: String) throws -> VerificationReport {
        var report = try verify()
        let heads: HandedOverHeads
        if data.starts(with: [0x50, 0x4B]) {
            let package = AuditPackage.verify(data)
            guard let manifest = package.manifest else {
                throw LocatedRejection(file: file, line: nil, rejection: Rejection(.anchorFileInvalid, "不是可读的审计资料包（缺少 manifest.json）"))
            }
            if !package.isClean {
                report.problems.append(VerificationProblem(
                    code: .anchorMismatch, studio: manifest.studio.code, voucher: nil,
                    message: "作为比对依据的资料包本身未通过核验：\(package.problems.prefix(3).map { "\($0)" }.joined(separator: "；"))"))
            }
            heads = HandedOverHeads(
                studio: .init(code: manifest.studio.code), voucherChain: manifest.voucherChain, operationLog: manifest.operationLog)
        } else {
            do {
                heads = try JSONDecoder().decode(HandedOverHeads.self, from: data)
            } catch {
                throw LocatedRejection(
                    file: file, line: nil,
                    rejection: Rejection(.anchorFileInvalid, "既不是审计资料包，也不是含 studio、voucherChain、operationLog 的清单文件：\(error)"))
            }
        }
        report.problems += try anchorProblems(heads)
        return report
    }

    func anchorProblems(_ heads: HandedOverHeads) throws -> [VerificationProblem] {
        var problems: [VerificationProblem] = []
        let studio = heads.studio.code
        let chain = heads.voucherChain
        if chain.sequence > 0 {
            let vouchers = try store.books.vouchers(studio: studio)
            if let voucher = vouchers.first(where: { $0.sequence == chain.sequence }) {
                if voucher.hash != chain.hash {
                    problems.append(VerificationProblem(
                        code: .anchorMismatch, studio: studio, voucher: "\(voucher.ref.period.iso) \(voucher.ref.label)",
                        message: "凭证链第 \(chain.sequence) 张的哈希为 \(voucher.hash.prefix(12))…，交付时为 \(chain.hash.prefix(12))…：此前的凭证在交付后被改写并重算了哈希链"))
                }
            } else {
                problems.append(VerificationProblem(
                    code: .anchorMismatch, studio: studio, voucher: nil,
                    message: "交付时凭证链有 \(chain.sequence) 张凭证，现在只有 \(vouchers.count) 张：凭证链在交付后被截断"))
            }
        }
        let log = heads.operationLog
        if log.sequence > 0 {
            let entries = try store.admin.log()
            if let entry = entries.first(where: { $0.sequence == log.sequence }) {
                if entry.hash != log.hash {
                    problems.append(VerificationProblem(
                        code: .anchorMismatch, studio: studio, voucher: nil,
                        message: "操作日志第 \(log.sequence) 条的哈希为 \(entry.hash.prefix(12))…，交付时为 \(log.hash.prefix(12))…：日志在交付后被改写"))
                }
            } else {
                problems.append(VerificationProblem(
                    code: .anchorMismatch, studio: studio, voucher: nil,
                    message: "交付时操作日志有 \(log.sequence) 条，现在只有 \(entries.last?.sequence ?? 0) 条：日志在交付后被截断"))
            }
        }
        return problems
    }
}

import FundCore

/// The y-axis of a money chart, shared by the SVG (HTML) and PDF charts so both show the same
/// scale: about five round steps in whole yuan (1, 2, 2.5 or 5 × 10^n) from zero to just past
/// the peak (8 % headroom, so the highest line does not run along the frame).
public struct ChartAxis: Sendable {
    public let step: Money
    public let top: Money
    public let ticks: [Money]

    public init(peak: Money) {
        let peakYuan = (max(peak.fen, 0) / 100) * 108 / 100 + 1
        let step = Self.tickStep(peakYuan: peakYuan)
        let steps = max(1, (peakYuan + step - 1) / step)
        self.step = Money(fen: step * 100)
        self.top = Money(fen: steps * step * 100)
        self.ticks = (0...steps).map { Money(fen: $0 * step * 100) }
    }

    /// Round tick step in whole yuan for an axis reaching `peakYuan`, about five steps.
    static func tickStep(peakYuan: Int64) -> Int64 {
        let raw = max(1, (peakYuan + 4) / 5)
        var power: Int64 = 1
        while power * 10 <= raw { power *= 10 }
        var candidates = [power, 2 * power, 5 * power, 10 * power]
        if power >= 10 { candidates.insert(power * 5 / 2, at: 2) }
        return candidates.first { $0 >= raw } ?? 10 * power
    }

    /// Where `money` falls between zero (0) and the top (1): plot geometry, the one place the
    /// chart's amounts become floating point. Negative values clamp at 0.
    public func fraction(_ money: Money) -> Double {
        Double(max(money.fen, 0)) / Double(top.fen)
    }

    /// A tick's label in whole yuan: "30,000".
    public static func label(_ tick: Money) -> String {
        String(tick.groupedString.dropLast(3))
    }
}

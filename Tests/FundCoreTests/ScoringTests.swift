import Foundation
import Testing

@testable import FundCore

@Suite("Performance scoring")
struct ScoringTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let kind: IndicatorKind
        let points: Int64
        let target: Int64
        let actual: Int64
        let expected: Int64
        var testDescription: String { "\(kind) \(points)pt target \(target) actual \(actual) → \(expected)" }
    }

    /// Hand-computed, in hundredths: points × actual / target, half up, capped.
    @Test("indicator scores", arguments: [
        Case(kind: .quantitative, points: 600, target: 500, actual: 400, expected: 480),  // 6 × 4/5 = 4.80
        Case(kind: .quantitative, points: 600, target: 500, actual: 700, expected: 600),  // over target: capped
        Case(kind: .quantitative, points: 400, target: 300, actual: 200, expected: 267),  // 4 × 2/3 = 2.666… → 2.67
        Case(kind: .quantitative, points: 400, target: 300, actual: 100, expected: 133),  // 4 × 1/3 = 1.333… → 1.33
        Case(kind: .quantitative, points: 1000, target: 5_000_000, actual: 3_210_000, expected: 642),  // 10 × 32,100/50,000 yuan
        Case(kind: .quantitative, points: 1000, target: 10_000, actual: 7_296, expected: 730),  // 执行率 72.96 % → 7.296 → 7.30
        Case(kind: .quantitative, points: 500, target: 500, actual: 0, expected: 0),
        Case(kind: .inverse, points: 600, target: 10_000, actual: 12_000, expected: 500),  // 6 × 100/120
        Case(kind: .inverse, points: 600, target: 10_000, actual: 9_000, expected: 600),  // under budget: full
        Case(kind: .qualitative, points: 500, target: 10_000, actual: 8_500, expected: 425),
        Case(kind: .qualitative, points: 500, target: 10_000, actual: 12_000, expected: 500),  // a rating above 100 % is 100 %
        Case(kind: .deduction, points: 500, target: 100, actual: 200, expected: 300),  // two violations, one point each
        Case(kind: .deduction, points: 500, target: 100, actual: 700, expected: 0),  // never below zero
    ])
    func indicator(c: Case) {
        #expect(Scoring.score(c.kind, points: Score(hundredths: c.points), target: c.target, actual: c.actual) == Score(hundredths: c.expected))
    }

    @Test func exactScoresKeepTheirFractions() {
        let twoThirds = Scoring.exactScore(.quantitative, points: Score(hundredths: 400), target: 300, actual: 200)
        #expect(twoThirds == ExactScore(800, times: 1, over: 3) && twoThirds.description == "266+2/3" && twoThirds.rounded.hundredths == 267)
        let third = Scoring.exactScore(.quantitative, points: Score(hundredths: 400), target: 300, actual: 100)
        #expect(third.description == "133+1/3" && third.rounded.hundredths == 133)
        #expect(ExactScore(1, times: 1, over: 2).rounded.hundredths == 1)  // half up
        #expect(ExactScore(600, times: 400, over: 500).isWhole)  // 4.80
        #expect(Scoring.exactScore(.deduction, points: Score(hundredths: 500), target: 100, actual: 200) == ExactScore(Score(hundredths: 300)))
        #expect(Scoring.exactScore(.deduction, points: Score(hundredths: 500), target: 100, actual: 700) == .zero)
    }

    /// Rounded once: 2.666… + 1.333… is exactly 4.00 (rounded parts: 2.67 + 1.33 = 4.00 too),
    /// three thirds make 1 (rounded parts: 0), three two-thirds make 2 (rounded parts: 3).
    @Test func sumsAreExactAndRoundedOnce() {
        let third = ExactScore(1, times: 1, over: 3)
        let twoThirds = ExactScore(2, times: 1, over: 3)
        #expect(ExactScoreSum([ExactScore(800, times: 1, over: 3), ExactScore(400, times: 1, over: 3)]).rounded.hundredths == 400)
        #expect(ExactScoreSum([third, third, third]).rounded.hundredths == 1)
        #expect(ExactScoreSum([twoThirds, twoThirds, twoThirds]).rounded.hundredths == 2)
        // 8,998.5 rounds up, 8,998.4999… does not.
        #expect(ExactScoreSum([ExactScore(Score(hundredths: 8_998)), ExactScore(1, times: 1, over: 2)]).rounded.hundredths == 8_999)
        #expect(ExactScoreSum([ExactScore(Score(hundredths: 8_998)), ExactScore(499_999, times: 1, over: 1_000_000)]).rounded.hundredths == 8_998)
        // Large denominators (targets go up to 2⁶³): their product needs far more than 64 bits,
        // and the sum is still exact. Each pair (p/2)/p + (p − p/2)/p adds up to 1.
        let primes: [Int64] = [9_223_372_036_854_775_783, 9_223_372_036_854_775_643, 4_611_686_018_427_387_847, 1_000_000_007]
        var parts: [ExactScore] = []
        for prime in primes {
            parts.append(ExactScore(1, times: prime / 2, over: prime))
            parts.append(ExactScore(1, times: prime - prime / 2, over: prime))
        }
        #expect(parts.allSatisfy { !$0.isWhole })
        #expect(ExactScoreSum(parts).rounded.hundredths == 4)
        // Just below a half in total: 4 + (½ − 1/p) … rounds down.
        let below = ExactScoreSum(parts.dropLast() + [ExactScore(1, times: (primes[3] - primes[3] / 2) - 1, over: primes[3]), ExactScore(1, times: 1, over: 2)])
        #expect(below.rounded.hundredths == 4)
        let atHalf = ExactScoreSum(parts + [ExactScore(1, times: 1, over: 2)])
        #expect(atHalf.rounded.hundredths == 5)
    }

    @Test("grades at their boundaries", arguments: [
        (Int64(10_000), Grade.excellent), (9_000, .excellent), (8_999, .good), (8_000, .good), (7_999, .fair), (6_000, .fair),
        (5_999, .poor), (0, .poor),
    ])
    func grades(hundredths: Int64, grade: Grade) {
        #expect(Grade.of(Score(hundredths: hundredths)) == grade)
    }

    @Test func scoresParseExactly() throws {
        #expect(try Score.parse("89.99") == Score(hundredths: 8_999))
        #expect(Grade.of(try Score.parse("89.99")) == .good)
        #expect(Grade.of(try Score.parse("90.00")) == .excellent)
        #expect(try Score.parse("90") == Score(hundredths: 9_000))
        #expect(Score(hundredths: 8_999).text == "89.99" && Score(hundredths: 605).text == "6.05")
        #expect((#expect(throws: Rejection.self) { try Score.parse("100.01") })?.code == .scoreOutOfRange)
        #expect((#expect(throws: Rejection.self) { try Score.parse("89.999") })?.code == .scoreOutOfRange)
    }

    @Test func bandsAndQuantities() throws {
        #expect(Scoring.band(8_000) == "好" && Scoring.band(7_999) == "中" && Scoring.band(5_999) == "差")
        #expect(try PerformanceTarget.parseValue("90%", field: "t") == 9_000)
        #expect(try PerformanceTarget.parseValue("5", field: "t") == 500)
        #expect(Scoring.quantityText(500) == "5" && Scoring.quantityText(9_025) == "90.25" && Scoring.quantityText(950) == "9.5")
        #expect(Scoring.rate(2, of: 3) == 6_667)
    }

    /// Largest remainder in hundredths: the parts add up to the amount exactly.
    static let allocations: [(amount: Int64, weights: [Int64], expected: [Int64])] = [
        (1_000, [600, 400, 400, 400, 400, 400, 400, 300, 500, 600, 600], [120, 80, 80, 80, 80, 80, 80, 60, 100, 120, 120]),
        (500, [300, 300, 300], [167, 167, 166]),  // 166.67 each: one hundredth each to the first two (tie: earlier first)
        (1_000, [600, 400, 200], [500, 333, 167]),  // 500, 333.33, 166.67
        (1_000, [700, 400, 400], [467, 267, 266]),  // 466.67, 266.67, 266.67
        (1, [1, 1, 1], [1, 0, 0]),
        (0, [5, 5], [0, 0]),
        (1_500, [1], [1_500]),
    ]

    @Test("points moved to 产出 by largest remainder", arguments: allocations)
    func allocation(c: (amount: Int64, weights: [Int64], expected: [Int64])) {
        let parts = Scoring.allocate(c.amount, proportionalTo: c.weights)
        #expect(parts == c.expected)
        #expect(parts.reduce(0, +) == c.amount)
    }

    @Test func allocationStaysWithinOneHundredthOfTheExactShare() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let weights = (0..<Int.random(in: 1...18, using: &generator)).map { _ in Int64.random(in: 0...10_000, using: &generator) }
            guard weights.reduce(0, +) > 0 else { continue }
            let amount = Int64.random(in: 0...10_000, using: &generator)
            let parts = Scoring.allocate(amount, proportionalTo: weights)
            let whole = weights.reduce(0, +)
            #expect(parts.reduce(0, +) == amount)
            for (part, weight) in zip(parts, weights) {
                // whole × part is within `whole` of amount × weight.
                #expect(abs(part * whole - amount * weight) < whole, "\(amount) \(weights)")
            }
        }
    }

    @Test func indicatorSetsAreValidated() throws {
        let categories = [IndicatorCategory(id: "a", name: "产出", weight: 60), IndicatorCategory(id: "b", name: "效益", weight: 40)]
        func indicator(_ id: String, _ category: String, _ points: Int, measure: String = "count:training") -> IndicatorDefinition {
            IndicatorDefinition(
                id: id, category: category, group: "数量", name: id, unit: "场", kind: .quantitative, points: points, measure: measure,
                defaultTarget: "4", deductionPerFinding: nil)
        }
        _ = try IndicatorSet(name: "t", categories: categories, indicators: [indicator("x", "a", 60), indicator("y", "b", 40)])
        let wrongSum = #expect(throws: Rejection.self) {
            try IndicatorSet(name: "t", categories: categories, indicators: [indicator("x", "a", 50), indicator("y", "b", 40)])
        }
        #expect(wrongSum?.code == .indicatorSetInvalid)
        let badMeasure = #expect(throws: Rejection.self) {
            try IndicatorSet(name: "t", categories: categories, indicators: [indicator("x", "a", 60, measure: "count:dancing"), indicator("y", "b", 40)])
        }
        #expect(badMeasure?.code == .indicatorSetInvalid)
    }

    @Test func theShippedIndicatorSetLoads() throws {
        let url = packageRoot.appendingPathComponent("Reports/evaluation/indicators-default.json")
        struct File: Decodable {
            let name: String
            let categories: [IndicatorCategory]
            let indicators: [IndicatorDefinition]
        }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        let set = try IndicatorSet(name: file.name, categories: file.categories, indicators: file.indicators)
        #expect(set.categories.map(\.weight) == [50, 30, 10, 10])
        #expect(set.categories.map(\.name) == ["产出指标", "效益指标", "满意度指标", "预算执行率"])
    }
    /// Printed parts add up to the total rounded once: the hundredths left over by rounding
    /// down go to the largest fractions (the earlier on a tie); whole parts never move.
    @Test func displayedPartsAddUpToTheTotal() {
        func parts(_ scores: [ExactScore]) -> [ExactScoreSum] { scores.map { ExactScoreSum([$0]) } }
        // 28.00, 32.025, 19.9666…, 10.00: exactly 89.99166…, printed 28.00 + 32.02 + 19.97 + 10.00.
        let lines = [ExactScore(2_800, times: 1, over: 1), ExactScore(3_500, times: 549, over: 600),
                     ExactScore(2_000, times: 599, over: 600), ExactScore(Score(hundredths: 1_000))]
        let total = ExactScoreSum(lines).rounded.hundredths
        #expect(total == 8_999)
        #expect(Scoring.displayHundredths(parts(lines), total: total) == [2_800, 3_202, 1_997, 1_000])
        // Three thirds of a hundredth: 1 to print, to the first on the tie.
        let thirds = Array(repeating: ExactScore(1, times: 1, over: 3), count: 3)
        #expect(Scoring.displayHundredths(parts(thirds), total: ExactScoreSum(thirds).rounded.hundredths) == [1, 0, 0])
        // Whole parts print as they are.
        let whole = [ExactScore(Score(hundredths: 500)), ExactScore(Score(hundredths: 250))]
        #expect(Scoring.displayHundredths(parts(whole), total: 750) == [500, 250])
        #expect(Scoring.displayHundredths([], total: 0) == [])
    }
}

import Foundation
import FundTestSupport
import Testing

@testable import FundPDF

/// The text of a laid-out line.
private func text(_ line: PDFCanvas.PlainLine) -> String {
    var scalars = String.UnicodeScalarView()
    scalars.append(contentsOf: line.scalars)
    return String(scalars)
}

/// Sum of the font's advances for each scalar of the text (all must be in the font).
private func advances(_ text: String, _ canvas: PDFCanvas, font: PDFCanvas.Font = .body) throws -> Double {
    try text.unicodeScalars.reduce(0.0) { total, scalar in
        total + (try #require(canvas.glyph(scalar, font: font), "no glyph for U+\(String(scalar.value, radix: 16))")).advance
    }
}

@Suite("PDF text layout: layoutPlain and measure")
struct PDFTextLayoutTests {
    static let closing = Set("，。、）」』】》！？：；…".unicodeScalars)
    static let opening = Set("（「『【《".unicodeScalars)

    @Test("a short line is one line whose width is the sum of its glyph advances")
    func shortLine() throws {
        let canvas = try PDFCanvas(title: "测试")
        let sample = "资金到位率 100.00%"
        let lines = try #require(canvas.layoutPlain(sample, font: .body, width: 200, maxLines: 1))
        #expect(lines.count == 1)
        #expect(text(lines[0]) == sample)
        #expect(lines[0].glyphs.count == sample.unicodeScalars.count)
        let sum = try advances(sample, canvas)
        #expect(abs(lines[0].width - sum) < 1e-9, "\(lines[0].width) vs \(sum)")
        #expect(abs(lines[0].glyphs.map(\.advance).reduce(0, +) - sum) < 1e-9)
        // CJK is one em, so at 9 pt "资金到位率" is 45 pt.
        #expect(abs(try advances("资金到位率", canvas) - 45) < 1e-9)
        let measured = canvas.measure(sample, font: .body)
        #expect(abs(measured.width - sum) < 1e-9)
        #expect(measured.lines == 1)
        #expect(measured.height == canvas.lineHeight(.body))
        // Unwrapped (no width) is one line too.
        #expect(canvas.layoutPlain(sample, font: .body, width: nil, maxLines: 1)?.count == 1)
    }

    @Test("CJK wraps to the width: every line fits, every line but the last is full, nothing is lost")
    func cjkWraps() throws {
        let canvas = try PDFCanvas(title: "测试")
        let sample = String(repeating: "支付技能大师工作室带徒培训讲课费及场地租赁费", count: 3)
        for width in [50.0, 100, 123.4, 250] {
            let lines = try #require(canvas.layoutPlain(sample, font: .body, width: width, maxLines: 100))
            #expect(lines.count > 1, "width \(width)")
            #expect(lines.map(text).joined() == sample, "width \(width)")
            for (number, line) in lines.enumerated() {
                #expect(line.width <= width, "width \(width) line \(number): \(line.width)")
                #expect(abs(line.width - (try advances(text(line), canvas))) < 1e-9)
                if number < lines.count - 1 {
                    // Greedy: the next line's first character would not have fitted.
                    #expect(line.width + 9 > width, "width \(width) line \(number) not full: \(line.width)")
                }
            }
            let measured = canvas.measure(sample, font: .body, width: width, maxLines: 100)
            #expect(measured.lines == lines.count)
            #expect(abs(measured.height - Double(lines.count) * canvas.lineHeight(.body)) < 1e-9)
            #expect(measured.width <= width)
        }
    }

    @Test("禁则: no line starts with closing punctuation, none ends with opening punctuation")
    func kinsoku() throws {
        let canvas = try PDFCanvas(title: "测试")
        // The break that would put "，" first (or leave "（" last) moves one character back.
        let comma = try #require(canvas.layoutPlain("一二三四五，六七", font: .body, width: 45, maxLines: 5))
        #expect(comma.map(text) == ["一二三四", "五，六七"])
        let paren = try #require(canvas.layoutPlain("一二三四（五六）", font: .body, width: 45, maxLines: 5))
        #expect(paren.map(text) == ["一二三四", "（五六）"])
        let sample = "资金（专项）使用，须经「审批」后支付。设备、材料：按《采购合同》执行！是否到位？是；否。【附件】见『清单』。"
        var width = 30.0
        while width <= 200 {
            let lines = try #require(canvas.layoutPlain(sample, font: .body, width: width, maxLines: 100))
            #expect(lines.map(text).joined() == sample, "width \(width)")
            for (number, line) in lines.enumerated() {
                #expect(line.width <= width, "width \(width): \(text(line))")
                if number > 0, let first = line.scalars.first {
                    #expect(!Self.closing.contains(first), "width \(width): line \(number) starts with \(first): \(lines.map(text))")
                }
                if number < lines.count - 1, let last = line.scalars.last {
                    #expect(!Self.opening.contains(last), "width \(width): line \(number) ends with \(last): \(lines.map(text))")
                }
            }
            width += 4.5
        }
    }

    @Test("an English word is kept whole when a space allows a break; a word longer than the line is split")
    func englishWords() throws {
        let canvas = try PDFCanvas(title: "测试")
        let sample = "Payment for TIG welding torch spare parts shipped from Chengdu"
        let words = sample.split(separator: " ").map(String.init)
        for width in [60.0, 80, 100, 150] {
            let lines = try #require(canvas.layoutPlain(sample, font: .body, width: width, maxLines: 100))
            #expect(lines.count > 1)
            // Every line is whole words: the words of the lines are the words of the text.
            #expect(lines.flatMap { text($0).split(separator: " ").map(String.init) } == words, "width \(width): \(lines.map(text))")
            for line in lines {
                #expect(line.width <= width)
                #expect(line.scalars.first != " " && line.scalars.last != " ", "\(text(line))")
            }
        }
        let long = "Supercalifragilisticexpialidocious"
        let longWidth = try advances(long, canvas)
        let split = try #require(canvas.layoutPlain(long, font: .body, width: 40, maxLines: 100))
        #expect(split.count >= Int((longWidth / 40).rounded(.up)))
        #expect(split.map(text).joined() == long)
        for line in split { #expect(line.width <= 40 && !line.scalars.isEmpty) }
        // Between words, the long word starts on its own line and is then split.
        let mixed = try #require(canvas.layoutPlain("a " + long, font: .body, width: 40, maxLines: 100))
        #expect(text(mixed[0]) == "a")
        #expect(mixed.dropFirst().map(text).joined() == long)
    }

    @Test("\"\\n\" starts a new line, with or without a width")
    func newlines() throws {
        let canvas = try PDFCanvas(title: "测试")
        let sample = "第一行\n第二行\n\n第四行"
        for width in [nil, 200.0] {
            let lines = try #require(canvas.layoutPlain(sample, font: .body, width: width, maxLines: 10))
            #expect(lines.map(text) == ["第一行", "第二行", "", "第四行"], "width \(String(describing: width))")
            #expect(lines[2].width == 0 && lines[2].glyphs.isEmpty)
            #expect(abs(lines[0].width - 27) < 1e-9)
        }
        #expect(canvas.measure(sample, font: .body, width: 200, maxLines: 10).lines == 4)
        // A newline inside a wrapped paragraph: wrapping restarts after it.
        let wrapped = try #require(canvas.layoutPlain("一二三四五六\n七八", font: .body, width: 27, maxLines: 10))
        #expect(wrapped.map(text) == ["一二三", "四五六", "七八"])
    }

    @Test("more lines than maxLines: the last one is cut with \"…\" and still fits")
    func truncation() throws {
        let canvas = try PDFCanvas(title: "测试")
        let sample = String(repeating: "专项资金使用情况说明", count: 5)
        for (width, maxLines) in [(100.0, 1), (100, 2), (73.3, 3), (40, 2)] {
            let lines = try #require(canvas.layoutPlain(sample, font: .body, width: width, maxLines: maxLines))
            #expect(lines.count == maxLines, "width \(width) maxLines \(maxLines)")
            let last = try #require(lines.last)
            #expect(last.scalars.last == "…", "\(text(last))")
            #expect(last.width <= width, "width \(width): \(last.width)")
            #expect(abs(last.width - (try advances(text(last), canvas))) < 1e-9)
            #expect(!text(last).dropLast().contains("…"))
            // The text before the "…" is the continuation of the lines before it.
            #expect(sample.hasPrefix(lines.map(text).joined().dropLast()))
            for line in lines.dropLast() { #expect(line.width <= width && line.scalars.last != "…") }
            #expect(canvas.measure(sample, font: .body, width: width, maxLines: maxLines).lines == maxLines)
        }
        // Cut at a newline too.
        let cut = try #require(canvas.layoutPlain("甲\n乙\n丙", font: .body, width: 100, maxLines: 2))
        #expect(cut.map(text) == ["甲", "乙…"])
        // Text that fits in maxLines is not cut.
        let fits = try #require(canvas.layoutPlain("专项资金", font: .body, width: 100, maxLines: 2))
        #expect(fits.map(text) == ["专项资金"])
    }

    @Test("trailing spaces are dropped, from the text's end and at a wrap")
    func trailingSpaces() throws {
        let canvas = try PDFCanvas(title: "测试")
        let trailing = try #require(canvas.layoutPlain("资金   ", font: .body, width: 200, maxLines: 1))
        #expect(trailing.map(text) == ["资金"])
        #expect(abs(trailing[0].width - 18) < 1e-9)
        #expect(abs(canvas.measure("资金   ", font: .body, width: 200).width - 18) < 1e-9)
        // "aaaa   bbbb" where the spaces fit but "bbbb" does not: no spaces kept on either line.
        let gap = try advances("aaaa   b", canvas)
        let wrapped = try #require(canvas.layoutPlain("aaaa   bbbb", font: .body, width: gap, maxLines: 5))
        #expect(wrapped.map(text) == ["aaaa", "bbbb"])
        #expect(abs(wrapped[0].width - (try advances("aaaa", canvas))) < 1e-9)
    }

    @Test("text with a scalar that is not plain, or that Noto lacks, goes to pango (nil)", arguments: [
        "Cafe\u{301}", "资金 Café\u{301}", "مرحبا", "资金 😀", "สวัสดี", "a\tb", "a\u{200D}b", "资\u{FE0F}",
    ])
    func notPlain(_ sample: String) throws {
        let canvas = try PDFCanvas(title: "测试")
        #expect(canvas.layoutPlain(sample, font: .body, width: 200, maxLines: 2) == nil)
        #expect(canvas.layoutPlain(sample, font: .body, width: nil, maxLines: 1) == nil)
        // pango still measures it.
        let measured = canvas.measure(sample, font: .body, width: 200, maxLines: 2)
        #expect(measured.width > 0 && measured.lines == 1)
    }

    // MARK: Defects found in review (these fail until fixed)

    @Test("禁则 after a space: a line does not start with closing punctuation that follows a space")
    func kinsokuAfterSpace() throws {
        let canvas = try PDFCanvas(title: "测试")
        // canBreak returns true after any space before it looks at 禁则, so "，" starts line 2.
        let lines = try #require(canvas.layoutPlain("资金 ，资金", font: .body, width: 24, maxLines: 5))
        for line in lines.dropFirst() {
            #expect(line.scalars.first.map { !Self.closing.contains($0) } ?? true, "\(lines.map(text))")
        }
    }

    @Test("no break after a hyphen that precedes a digit (dates, contract numbers, UAX #14 LB25)")
    func hyphenBeforeDigit() throws {
        let canvas = try PDFCanvas(title: "测试")
        // pango keeps "2025-06-30" and "ZY-2025-0412" whole; canBreak breaks after every "-".
        let date = try #require(canvas.layoutPlain("2025-06-30", font: .body, width: 30, maxLines: 3))
        #expect(!date.contains { $0.scalars.last == "-" }, "\(date.map(text))")
        let code = try #require(canvas.layoutPlain("合同编号ZY-2025-0412号", font: .body, width: 70, maxLines: 5))
        #expect(!code.contains { $0.scalars.last == "-" }, "\(code.map(text))")
        let slashes = try #require(canvas.layoutPlain("2025/06/30", font: .body, width: 30, maxLines: 3))
        #expect(!slashes.contains { $0.scalars.last == "/" }, "\(slashes.map(text))")
        // A hyphen before letters still allows a break.
        let words = try #require(canvas.layoutPlain("well-known well-known", font: .body, width: 40, maxLines: 5))
        #expect(words.contains { $0.scalars.last == "-" }, "\(words.map(text))")
    }

    @Test("PDF numbers: at most three decimals, no exponent, never -0, NaN and infinity as 0")
    func numbers() {
        func written(_ value: Double) -> String {
            var bytes = PDFBytes()
            bytes.number(value)
            return String(decoding: bytes.bytes, as: UTF8.self)
        }
        #expect(written(0) == "0")
        #expect(written(595.28) == "595.28")
        #expect(written(1.05) == "1.05")
        #expect(written(-1.5) == "-1.5")
        #expect(written(-0.0004) == "0")
        #expect(written(-0.0) == "0")
        #expect(written(1234.5678) == "1234.568")
        #expect(written(0.0005) == "0.001")
        #expect(written(123_456_789.25) == "123456789.25")
        #expect(written(.nan) == "0")
        #expect(written(.infinity) == "0")
        #expect(written(-.infinity) == "0")
        #expect(written(3e15) == "1000000000000")
        #expect(written(-3e15) == "-1000000000000")
    }
}

/// The PDF's page content streams, inflated (python3's zlib).
private func inflated(_ page: PDFPageContent) throws -> String {
    let script = "import sys, zlib; sys.stdout.write(zlib.decompress(sys.stdin.buffer.read()).decode('latin-1'))"
    let output = try ExternalTool.run("python3", ["-c", script], input: Data(page.content))
    #expect(output.status == 0, "\(output.stderr)")
    return output.stdout
}

@Suite("PDF canvas internals: the CFF charset, shaped fallback text in the content stream", .serialized)
struct PDFCanvasContentTests {
    @Test("Noto Sans CJK's CFF charset is the identity; a HarfBuzz subset keeps each glyph's CID")
    func cffCharset() throws {
        let canvas = try PDFCanvas(title: "测试")
        for face in canvas.faces {
            let charset = try #require(PDFFontFace.withTable(face.face, "CFF ") { CFFCharset($0) } ?? nil)
            #expect(charset.cids.count > 60_000, "\(face.postScriptName): \(charset.cids.count) glyphs")
            #expect(charset.isIdentity, "\(face.postScriptName)")
            #expect(face.cid(12345) == 12345)
        }
        let face = canvas.faces[0]
        let glyphs = try Set("资金到位率Café…（），𠮷".unicodeScalars.map { try #require(canvas.glyph($0, font: .body)).index })
        let subset = try face.subset(glyphs)
        let cids = try #require(subset.withUnsafeBufferPointer { CFFCharset($0) })
        // The subset renumbers glyphs (in their old order); its charset maps each new glyph to its
        // old CID. HarfBuzz may keep a few more glyphs than asked for (its closure).
        let kept = cids.cids.map(UInt32.init)
        #expect(kept.first == 0)
        #expect(Set(kept).isSuperset(of: glyphs), "\(kept) vs \(glyphs.sorted())")
        #expect(zip(kept, kept.dropFirst()).allSatisfy { $0 < $1 }, "\(kept)")
        #expect(kept.count < glyphs.count + 8)
        #expect(!cids.isIdentity)
    }

    @Test("fallback outlines sit in a marked-content span whose ActualText is the run's text")
    func actualText() throws {
        let canvas = try PDFCanvas(title: "测试")
        canvas.draw("مرحبا", font: .body, x: 40, y: 130)
        let content = try inflated(try canvas.finish().pages[0])
        var expected = PDFBytes()
        expected.textString("مرحبا")
        let span = "/Span << /ActualText " + String(decoding: expected.bytes, as: UTF8.self) + " >> BDC"
        #expect(content.contains(span), "content: \(content.prefix(300))")
        #expect(content.contains("EMC"))
        #expect(content.contains(" c\n") && content.contains("f\n"), "outlines are filled curves")
    }

    @Test("a path built before shaped fallback text is still stroked afterwards")
    func pathSurvivesShapedText() throws {
        let canvas = try PDFCanvas(title: "测试")
        canvas.moveTo(40, 120)
        canvas.lineTo(300, 120)
        // Arabic is not in Noto: pango falls back and drawShaped fills its outlines.
        canvas.draw("مرحبا", font: .body, x: 40, y: 130)
        canvas.stroke(width: 2)
        let content = try inflated(try canvas.finish().pages[0])
        let stroked = content.contains("40 120 m\n300 120 l\nS\n")
        // PDFCanvas.drawShaped appends the outlines to the pending path and fills all of it.
        #expect(stroked, "the line was filled with the glyphs instead of stroked")
    }
}

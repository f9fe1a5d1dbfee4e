import Testing

@testable import FundCore

private let bookStart = month(2025, 10)
private let afterYearEnd = day(2026, 1, 15)

/// A book closed from 2025-10 through `last`.
private func closedBook(through last: Period) throws -> PeriodBook {
    var book = PeriodBook()
    var period = bookStart
    while period <= last {
        try book.close(period, bookStart: bookStart, today: afterYearEnd)
        period = period.next
    }
    return book
}

@Suite("Period closing")
struct PeriodBookTests {
    @Test func closesInOrderFromBookStart() throws {
        var book = PeriodBook()
        #expect(book.closedThrough == nil)
        try book.close(month(2025, 10), bookStart: bookStart, today: afterYearEnd)
        try book.close(month(2025, 11), bookStart: bookStart, today: afterYearEnd)
        try book.close(month(2025, 12), bookStart: bookStart, today: afterYearEnd)
        #expect(book.closed == [month(2025, 10), month(2025, 11), month(2025, 12)])
        #expect(book.closedThrough == month(2025, 12))
    }

    @Test(
        "closing out of order is P002",
        arguments: [
            (nil, month(2025, 11)),  // skips the first month
            (nil, month(2025, 9)),  // before the books start
            (month(2025, 10), month(2025, 12)),
            (month(2025, 11), month(2025, 11)),  // already closed
            (month(2025, 11), month(2025, 10)),
        ] as [(Period?, Period)])
    func outOfOrder(closedThrough: Period?, period: Period) throws {
        var book = try closedThrough.map { try closedBook(through: $0) } ?? PeriodBook()
        let before = book
        let code = rejectionCode { () throws(Rejection) in
            try book.close(period, bookStart: bookStart, today: afterYearEnd)
        }
        #expect(code == .periodCloseOutOfOrder)
        #expect(book == before)
    }

    @Test(
        "closing before the month has ended is P003",
        arguments: [day(2025, 10, 15), day(2025, 10, 31), day(2025, 9, 30), day(2025, 10, 1)])
    func earlyClose(today: CalendarDate) {
        var book = PeriodBook()
        let code = rejectionCode { () throws(Rejection) in
            try book.close(month(2025, 10), bookStart: bookStart, today: today)
        }
        #expect(code == .periodNotEnded)
        #expect(book.closed.isEmpty)
    }

    @Test func closingOnTheFirstDayOfTheNextMonthIsAllowed() throws {
        var book = PeriodBook()
        try book.close(month(2025, 10), bookStart: bookStart, today: day(2025, 11, 1))
        try book.close(month(2025, 11), bookStart: bookStart, today: day(2025, 12, 1))
        #expect(book.closedThrough == month(2025, 11))
    }

    @Test func reopensTheLatestOnly() throws {
        var book = try closedBook(through: month(2025, 11))
        for period in [month(2025, 10), month(2025, 12)] {
            let code = rejectionCode { () throws(Rejection) in
                try book.reopen(period, reason: "补记凭证")
            }
            #expect(code == .periodReopenNotLatest, "\(period)")
        }
        #expect(book.closedThrough == month(2025, 11))
        try book.reopen(month(2025, 11), reason: "补记凭证")
        #expect(book.closedThrough == month(2025, 10))
        try book.reopen(month(2025, 10), reason: "补记凭证")
        #expect(book.closedThrough == nil)
        // After reopening, closing resumes from the reopened month.
        try book.close(month(2025, 10), bookStart: bookStart, today: afterYearEnd)
        #expect(book.closedThrough == month(2025, 10))
    }

    @Test("reopening needs a reason (V024)", arguments: ["", "   ", "\u{3000}"])
    func reopenNeedsReason(reason: String) throws {
        var book = try closedBook(through: month(2025, 10))
        let code = rejectionCode { () throws(Rejection) in
            try book.reopen(month(2025, 10), reason: reason)
        }
        #expect(code == .reasonMissing)
        #expect(book.closedThrough == month(2025, 10))
    }

    @Test func reopenWithNothingClosedIsP005() {
        var book = PeriodBook()
        let code = rejectionCode { () throws(Rejection) in
            try book.reopen(month(2025, 10), reason: "补记")
        }
        #expect(code == .periodNotClosed)
    }

    @Test(
        "isOpen: everything up to closedThrough is closed",
        arguments: [
            (month(2025, 9), false), (month(2025, 10), false), (month(2025, 11), false),
            (month(2025, 12), true), (month(2026, 1), true),
        ])
    func isOpen(period: Period, open: Bool) throws {
        let book = try closedBook(through: month(2025, 11))
        #expect(book.isOpen(period) == open)
        #expect(PeriodBook().isOpen(period))
    }

    @Test func replayOfValidEventsRebuildsTheBook() throws {
        let events: [(Period, PeriodBook.Action)] = [
            (month(2025, 10), .close), (month(2025, 11), .close), (month(2025, 11), .reopen),
            (month(2025, 11), .close), (month(2025, 12), .close),
        ]
        let (replayed, inconsistent) = PeriodBook.replay(events)
        #expect(inconsistent.isEmpty)
        #expect(replayed == (try closedBook(through: month(2025, 12))))
    }

    @Test(
        "replay flags events that could not have been accepted",
        arguments: [
            ([(month(2025, 10), .close), (month(2025, 12), .close)], [1]),
            ([(month(2025, 10), .reopen)], [0]),
            (
                [(month(2025, 10), .close), (month(2025, 11), .close), (month(2025, 10), .reopen)],
                [2]
            ),
            ([(month(2025, 10), .close), (month(2025, 10), .close)], [1]),
            (
                [
                    (month(2025, 10), .close), (month(2025, 10), .reopen),
                    (month(2025, 10), .reopen),
                    (month(2025, 10), .close),
                ], [2]
            ),
        ] as [([(Period, PeriodBook.Action)], [Int])])
    func replayFlagsInconsistencies(events: [(Period, PeriodBook.Action)], expected: [Int]) {
        #expect(PeriodBook.replay(events).inconsistent == expected)
    }
}

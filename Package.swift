// swift-tools-version:6.1
// WorkshopLedger: per-fund project books, compliance checks and audit packages for
// Ziyang's skill master studios (技能大师工作室). See README.md and docs/.
import PackageDescription

// Our own targets treat warnings as errors; dependencies keep their own settings.
let strict: [SwiftSetting] = [
    .unsafeFlags(["-warnings-as-errors"]),
]

let package = Package(
    name: "WorkshopLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "workshop-ledger", targets: ["workshop-ledger"]),
        .executable(name: "ledger-bench", targets: ["ledger-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .target(name: "FundCore", dependencies: [.product(name: "BigInt", package: "BigInt")], swiftSettings: strict),
        .target(
            name: "FundStore",
            dependencies: [
                "FundCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .systemLibrary(name: "CDeflate", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "FundExchange", dependencies: ["FundCore", "FundReports", "CDeflate"], swiftSettings: strict),
        .target(name: "FundRules", dependencies: ["FundCore"], swiftSettings: strict),
        // Report builders: numbers computed and cross-checked, documents format-neutral.
        .target(name: "FundReports", dependencies: ["FundCore", "FundRules"], swiftSettings: strict),
        // C libraries for the XLSX and PDF renderers, found through pkg-config.
        .systemLibrary(
            name: "CXLSXWriter", pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(
            name: "CPangoCairo", pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev", "libharfbuzz-dev"])]),
        // The PDF engine (canvas, text layout, fonts and subsets, file writer); knows no documents.
        .target(name: "FundPDF", dependencies: ["CPangoCairo", "CDeflate"], swiftSettings: strict),
        // Documents into formats: CSV, text, HTML, XLSX, and PDF page layout on FundPDF.
        .target(
            name: "FundRender", dependencies: ["FundCore", "FundReports", "FundExchange", "FundPDF", "CXLSXWriter"],
            swiftSettings: strict),
        // Fixtures/ (default chart, sample studios) ships inside the binary as resources; the
        // one Swift file there only exposes their location. Tests read Fixtures/bad directly.
        .target(
            name: "FundFixtures",
            path: "Fixtures",
            exclude: ["bad", "golden"],
            resources: [.copy("chart"), .copy("demo"), .copy("policy"), .copy("calendar")],
            swiftSettings: strict),
        // Reports/ (the evaluation indicator set) ships the same way; `--indicators FILE` replaces it.
        .target(
            name: "FundReportDefinitions",
            path: "Reports",
            exclude: ["README.md"],
            resources: [.copy("evaluation")],
            swiftSettings: strict),
        .target(
            name: "FundApp",
            dependencies: [
                "FundCore", "FundStore", "FundExchange", "FundFixtures", "FundReportDefinitions", "FundRules", "FundReports", "FundRender",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strict),
        // The web desk: a second thin adapter over LedgerApp (routes, one authorisation guard,
        // pages from a typed HTML builder that escapes by default). Knows no storage.
        .target(
            name: "FundWeb",
            dependencies: [
                "FundApp", "FundCore", "FundReports", "FundRender",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "FundTestSupport",
            dependencies: ["FundCore", "FundStore", "FundApp"],
            swiftSettings: strict),
        .executableTarget(
            name: "workshop-ledger",
            dependencies: [
                "FundApp", "FundRender", "FundReports", "FundCore", "FundExchange", "FundWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "ledger-bench",
            dependencies: [
                "FundApp", "FundWeb", "FundStore", "FundCore", "FundRules", "FundReports", "FundRender", "FundExchange",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .testTarget(name: "FundCoreTests", dependencies: ["FundCore", "FundTestSupport"]),
        .testTarget(name: "FundExchangeTests", dependencies: ["FundExchange", "FundCore", "FundTestSupport"]),
        .testTarget(name: "FundReportsTests", dependencies: ["FundReports", "FundCore", "FundTestSupport"]),
        .testTarget(
            name: "FundRenderTests", dependencies: ["FundRender", "FundPDF", "FundReports", "FundCore", "FundTestSupport"],
            exclude: ["PinnedViews"]),
        .testTarget(name: "FundPDFTests", dependencies: ["FundPDF", "FundTestSupport"]),
        .testTarget(name: "FundRulesTests", dependencies: ["FundRules", "FundCore", "FundTestSupport"]),
        .testTarget(
            name: "FundStoreTests",
            dependencies: ["FundStore", "FundCore", "FundTestSupport", "FundApp", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "FundAppTests",
            dependencies: ["FundApp", "FundExchange", "FundCore", "FundTestSupport"]),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "workshop-ledger", "FundApp", "FundCore", "FundReports", "FundRender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "FundWebTests",
            dependencies: [
                "FundWeb", "FundApp", "FundCore", "FundTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["workshop-ledger", "FundTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    ],
    swiftLanguageModes: [.v6]
)

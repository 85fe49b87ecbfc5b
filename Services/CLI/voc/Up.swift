import Analyze
import ArgumentParser
import Foundation
import Hummingbird
import Ingest
import Logging
import Notify
import Projector
import Transcribe
import ServiceLifecycle
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc up`: the whole pipeline on the embedded default, in one process.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run PostgreSQL (a data folder of the project), the embedded Kafka-protocol broker and every service.")

    @Option(help: "Folder for the PostgreSQL cluster and the broker address file.")
    var dir: String = ".voc"

    @Option(help: "Port of the project's PostgreSQL server.")
    var postgresPort: Int = 55432

    @Option(help: "Brokers in the embedded cluster.")
    var brokers: Int = 3

    @Option(help: "Port of the ingest API.")
    var ingestPort: Int = 8080

    @Option(help: "Port of the read API (projector).")
    var projectorPort: Int = 8081

    @Option(help: "Port of analyze's health and metrics endpoints.")
    var analyzePort: Int = 8082

    @Option(help: "Port of the transcribe-adapter's health and metrics.")
    var transcribePort: Int = 8083

    @Option(help: "Port of route's ticket API.")
    var routePort: Int = 8086

    @Option(help: "Port of the notify stage's in-app inbox API.")
    var notifyPort: Int = 8084

    @Option(help: "Address the HTTP servers bind.")
    var host: String = "127.0.0.1"

    @Flag(help: "Accept requests without a gateway key (X-Gateway-Id names the gateway). Development only.")
    var open = false

    @Flag(help: "Run only PostgreSQL and the broker, for services started as separate processes (voc-ingest, voc-projector, voc-analyze, voc-transcribe, voc-route, voc-notify).")
    var infraOnly = false

    @Flag(help: "Run every service as its own supervised process (restarted with backoff, logs in DIR/logs) instead of in this one.")
    var processes = false

    @Option(help: "With --processes: replicas of a service, e.g. analyze=2 (one consumer group; up to the partition count).")
    var replicas: [String] = []

    func run() async throws {
        let reader = try await Settings.reader()
        var common = CommonSettings(config: reader)
        try common.validateKafka()
        Observability.bootstrap(logLevel: common.logLevel)
        let logger = Logger(label: "voc")
        let folder = URL(fileURLWithPath: dir).standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if !infraOnly {
            try PortCheck.ensureFree([("ingest", ingestPort), ("projector", projectorPort), ("analyze", analyzePort),
                                      ("transcribe", transcribePort), ("route", routePort), ("notify", notifyPort)], host: host)
        }

        let stack = try DevStack.start(in: folder, postgresPort: postgresPort, brokers: brokers, logger: logger)
        defer { stack.stop() }
        let (postgres, broker, store) = (stack.postgres, stack.broker, stack.store)
        let brokerFile = folder.appendingPathComponent("broker")
        try Data((broker.bootstrap + "\n").utf8).write(to: brokerFile)
        defer { try? FileManager.default.removeItem(at: brokerFile) }

        common.kafkaBrokers = broker.bootstrap
        var lines = [
            "VOC platform is up (embedded default)",
            "  Kafka broker   \(broker.bootstrap)   (written to \(brokerFile.path))",
            "  PostgreSQL     \(store.redactedURL)   (data in \(postgres.dataDirectory.path))",
            "  DB roles       each service as its own role and schema: \(DatabaseRole.allCases.map(\.rawValue).joined(separator: ", "))",
        ]
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        // Without a configured secret the read API signs with one kept in the folder, so
        // `voc token create` and separately started projectors find it.
        var readSecret: String?
        if reader.string(forKey: "projector.tokenSecret", isSecret: true, default: "").isEmpty {
            let (file, secret) = try DevelopmentTokenSecret.ensure(in: folder)
            readSecret = secret
            lines.append("  Read tokens    voc token create --subject <id> --role <role>   (HS256 secret kept in \(file))")
        }
        if infraOnly {
            lines += [
                "  Services       not started: run voc-ingest, voc-projector, voc-transcribe, voc-analyze, voc-route and voc-notify with",
                "                 VOC_POSTGRES_URL=\(store.serverURL) (they find the broker in \(brokerFile.path));",
                "                 voc-projector also needs VOC_PROJECTOR_TOKEN_SECRET=$(cat \(folder.path)/read-token-secret)",
            ]
            services.append(.init(service: UntilShutdown()))
        } else {
            var pipeline = try PipelineServices(
                reader: reader, common: common, store: store, folder: folder, host: host,
                ports: .init(ingest: ingestPort, projector: projectorPort, analyze: analyzePort, transcribe: transcribePort,
                             route: routePort, notify: notifyPort))
            if pipeline.ingest.keysFile == nil && !open {
                let (file, key) = try DevelopmentKey.ensure(in: folder)
                pipeline.ingest.keysFile = file
                lines.append("  Gateway key    \(key)   (gateway \"dev\", every channel; kept in \(folder.path)/gateway-key)")
            }
            if pipeline.notify.directoryFile == nil {
                let (directory, tokens) = try DevelopmentInbox.ensure(in: folder, route: pipeline.route)
                pipeline.notify.directoryFile = directory
                lines.append("  Inbox tokens   \(tokens)   (demo advisors, relationship managers and department members; notify.directoryFile unset)")
            }
            if pipeline.projector.tokenSecret.isEmpty, let secret = readSecret { pipeline.projector.tokenSecret = secret }
            pipeline.transcribe.local.supervise = true
            pipeline.transcribe.local.logFile = folder.appendingPathComponent("whisper-server.log").path
            if processes {
                let supervisors = try ProcessPipeline(pipeline, replicas: try ProcessPipeline.parseReplicas(replicas))
                    .supervisors(folder: folder, common: ["VOC_KAFKA_BROKERS": broker.bootstrap, "VOC_POSTGRES_URL": store.serverURL,
                                                          "VOC_HTTP_HOST": host], logger: logger)
                services += supervisors.map { .init(service: $0) }
                lines.append("  Processes      \(supervisors.map(\.name).joined(separator: ", "))   (logs in \(folder.path)/logs)")
            } else {
                services += try pipeline.build().map { .init(service: $0) }
            }
            lines += [
                "  Ingest API     http://\(host):\(ingestPort)/v1/interactions   (OpenAPI: http://\(host):\(ingestPort)/openapi.yaml)",
                "  Read API       http://\(host):\(projectorPort)/v1/customers/{id}   (also /timeline, /v1/ticket-queue, /v1/scorecards,"
                    + " /v1/trends, /v1/clusters; Authorization: Bearer $(voc token create ...))",
                "  Console        http://\(host):\(projectorPort)/console   (sign in: voc token create --subject <id> --role manager --link"
                    + " --console-url http://\(host):\(projectorPort))",
                "  Analyze        \(Topic.transcriptReady.rawValue) → \(Topic.insightProduced.rawValue)   (rules: \((try? pipeline.analyze.rulesURL().path) ?? "?"))",
                "  Route          \(Topic.insightProduced.rawValue) → \(Topic.ticketEvent.rawValue), \(Topic.notificationRequested.rawValue)",
                "  Ticket API     http://\(host):\(routePort)/v1/tickets",
                "  Inbox API      http://\(host):\(notifyPort)/v1/inbox   (notify: \(Topic.notificationRequested.rawValue) → \(Topic.notificationDelivered.rawValue))",
                "  Metrics        http://\(host):\(ingestPort)/metrics  http://\(host):\(projectorPort)/metrics  http://\(host):\(analyzePort)/metrics"
                    + "  http://\(host):\(transcribePort)/metrics  http://\(host):\(routePort)/metrics  http://\(host):\(notifyPort)/metrics",
                "  Speech engine  " + Self.speechLine(pipeline.transcribe),
            ]
        }
        lines += [
            "  Watch events   voc tail \(Topic.interactionReceived.rawValue) --from-beginning",
            "                 kcat -C -b \(broker.bootstrap) -t \(Topic.interactionReceived.rawValue) -o beginning -f '%h %s\\n'",
            "Ctrl-C stops everything.",
            "",
        ]
        FileHandle.standardOutput.write(Data(lines.joined(separator: "\n").utf8))

        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        withExtendedLifetime(broker) {}
    }
}

extension Up {
    /// What the transcribe stage will use, or how to install what it lacks.
    static func speechLine(_ configuration: TranscribeConfiguration) -> String {
        guard configuration.engine == "local" else {
            return "\(configuration.remote.name) at \(configuration.remote.url) (transcribe.engine=\(configuration.engine))"
        }
        if let missing = configuration.local.missingPieces {
            return "NOT INSTALLED (missing \(missing)): \(LocalWhisperServer.setupHint);\n"
                + "                 text interactions still flow; recordings are retried, then dead-lettered"
        }
        return "local faster-whisper at \(configuration.local.baseURL), supervised (log \(configuration.local.logFile))"
    }
}

/// Holds `voc up --infra-only` open until SIGTERM/SIGINT.
struct UntilShutdown: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}

/// The key `voc up` creates for local gateways, so the embedded default is not an open door.
enum DevelopmentKey {
    /// - Returns: the keys file and the clear key of gateway `dev`.
    static func ensure(in folder: URL) throws -> (file: String, key: String) {
        let file = folder.appendingPathComponent("gateway-keys.json").path
        let keyFile = folder.appendingPathComponent("gateway-key").path
        if let key = try? String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           !key.isEmpty, FileManager.default.fileExists(atPath: file) {
            return (file, key)
        }
        try? FileManager.default.removeItem(atPath: file)
        let key = try GatewayKeyFile.addGateway("dev", channels: Channel.known.map(\.rawValue), customers: true,
                                                ratePerSecond: 100_000, to: file)
        // Without the saved key the next `voc up` would issue a new one and gateways set up with this one would get 401.
        guard FileManager.default.createFile(atPath: keyFile, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write the dev gateway key to \(keyFile)")
        }
        return (file, key)
    }
}

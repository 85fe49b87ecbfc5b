import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VOCProcess
import VOCRuntime
import VOCStore

/// PostgreSQL, the embedded broker (three brokers) and every service as its own
/// supervised process on consecutive ports, configured as `voc up --processes` configures
/// them: what `voc chaos` and `voc bench e2e` run against.
struct ProcessStack: Sendable {
    let stack: DevStack
    let pipeline: PipelineServices
    let supervisors: [SupervisedProcess]
    /// The clear key of the development gateway.
    let gatewayKey: String
    let folder: URL

    /// - Parameters:
    ///   - basePort: PostgreSQL's port; the services take the next six.
    ///   - logLevel: the services' `log.level` (their logs go to `folder/logs`).
    ///   - speechEngine: whether transcribe supervises the local speech engine; a run of
    ///     text channels only leaves it out so its model does not take memory and cores.
    ///   - partitions: partitions of each pipeline topic (nil: each topic's default).
    static func start(in folder: URL, basePort: Int, logLevel: String, speechEngine: Bool = true, partitions: Int? = nil,
                      logger: Logger) async throws -> ProcessStack {
        let stack = try DevStack.start(in: folder, postgresPort: basePort, brokers: 3, partitions: partitions, logger: logger)
        do {
            let reader = try await Settings.reader()
            var common = CommonSettings(config: reader)
            common.kafkaBrokers = stack.broker.bootstrap
            var pipeline = try PipelineServices(
                reader: reader, common: common, store: stack.store, folder: folder, host: "127.0.0.1",
                ports: .init(ingest: basePort + 1, projector: basePort + 2, analyze: basePort + 3, transcribe: basePort + 4,
                             route: basePort + 5, notify: basePort + 6))
            let (keys, key) = try DevelopmentKey.ensure(in: folder)
            pipeline.ingest.keysFile = keys
            pipeline.notify.directoryFile = try DevelopmentInbox.ensure(in: folder, route: pipeline.route).directory
            if pipeline.projector.tokenSecret.isEmpty { pipeline.projector.tokenSecret = try DevelopmentTokenSecret.ensure(in: folder).1 }
            pipeline.transcribe.local.supervise = speechEngine
            pipeline.transcribe.local.logFile = folder.appendingPathComponent("logs/whisper-server.log").path
            let supervisors = try ProcessPipeline(pipeline).supervisors(
                folder: folder, common: ["VOC_KAFKA_BROKERS": stack.broker.bootstrap, "VOC_POSTGRES_URL": stack.store.serverURL,
                                         "VOC_HTTP_HOST": "127.0.0.1", "VOC_LOG_LEVEL": logLevel], logger: logger)
            return ProcessStack(stack: stack, pipeline: pipeline, supervisors: supervisors, gatewayKey: key, folder: folder)
        } catch {
            stack.stop()
            throw error
        }
    }

    var ingestURL: String { "http://127.0.0.1:\(pipeline.ingest.http.port)" }

    var connection: KafkaConnection {
        KafkaConnection(bootstrap: stack.broker.bootstrap, security: pipeline.ingest.common.kafkaSecurity,
                        properties: pipeline.ingest.common.kafkaProperties)
    }

    /// Runs the services, waits until ingest and the projector listen, runs `body`, then
    /// stops the services (SIGTERM, in reverse order) and PostgreSQL.
    func run<Result: Sendable>(logger: Logger, _ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        defer { stack.stop() }
        let group = ServiceGroup(configuration: .init(
            services: supervisors.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let ports = [pipeline.ingest.http.port, pipeline.projector.http.port]
        return try await withThrowingTaskGroup(of: Result?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            tasks.addTask {
                do {
                    for port in ports where !(await waitUntilListening(port: port, attempts: 600)) {
                        throw ValidationError("the service on port \(port) did not start; see the logs in \(folder.path)/logs")
                    }
                    let result = try await body()
                    await group.triggerGracefulShutdown()
                    return result
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
            }
            var result: Result?
            for try await value in tasks { result = result ?? value }
            guard let result else { throw ExitCode.failure }
            return result
        }
    }
}

/// The folder and the progress lines of a command that runs the pipeline as processes
/// (`voc chaos`, `voc bench e2e`): lines carry the seconds since the start.
struct ProcessRunConsole: Sendable {
    let folder: URL
    let say: @Sendable (String) -> Void
    /// A folder the command made for itself goes when it ends, unless kept.
    private let removesFolder: Bool

    /// - Parameter dir: The folder asked for; nil: a new one under the temporary folder.
    init(dir: String?, keep: Bool, name: String) throws {
        folder = URL(fileURLWithPath: dir ?? NSTemporaryDirectory() + "\(name)-\(getpid())").standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        removesFolder = !keep && dir == nil
        let started = ContinuousClock.now
        say = { line in
            FileHandle.standardOutput.write(Data((String(format: "[%5.0f s] ", (ContinuousClock.now - started).seconds) + line + "\n").utf8))
        }
    }

    func cleanUp() {
        if removesFolder { try? FileManager.default.removeItem(at: folder) }
    }
}

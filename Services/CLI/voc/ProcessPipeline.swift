import ArgumentParser
import Foundation
import Logging
import VOCProcess
import VOCRuntime
import VOCStore

/// `voc up --processes`: every service as its own process (the executables next to
/// `voc`), each supervised (restarted with backoff when it exits, stopped with SIGTERM
/// at shutdown) and logging to `logs/NAME.log` in the data folder.
struct ProcessPipeline {
    struct Member {
        var executable: String
        var port: Int
        var environment: [String: String] = [:]
    }

    var members: [Member]
    /// Replicas per executable (`voc-analyze` → 2); a replica after the first listens on
    /// its service's port + 100 × its index.
    var replicas: [String: Int]

    /// The services of `pipeline` as processes, configured through the environment.
    init(_ pipeline: PipelineServices, replicas: [String: Int] = [:]) {
        var ingest = ["VOC_BLOB_LOCAL_DIR": pipeline.ingest.blob.localDirectory]
        if let keys = pipeline.ingest.keysFile { ingest["VOC_INGEST_KEYS_FILE"] = keys }
        let notify = pipeline.notify.directoryFile.map { ["VOC_NOTIFY_DIRECTORY_FILE": $0] } ?? [:]
        let transcribe = [
            "VOC_BLOB_LOCAL_DIR": pipeline.ingest.blob.localDirectory,
            "VOC_TRANSCRIBE_LOCAL_SUPERVISE": pipeline.transcribe.local.supervise ? "true" : "false",
            "VOC_TRANSCRIBE_LOCAL_LOG_FILE": pipeline.transcribe.local.logFile,
        ]
        members = [
            .init(executable: "voc-ingest", port: pipeline.ingest.http.port, environment: ingest),
            .init(executable: "voc-projector", port: pipeline.projector.http.port,
                  environment: ["VOC_PROJECTOR_TOKEN_SECRET": pipeline.projector.tokenSecret,
                                "VOC_BLOB_LOCAL_DIR": pipeline.ingest.blob.localDirectory]),
            .init(executable: "voc-transcribe", port: pipeline.transcribe.http.port, environment: transcribe),
            .init(executable: "voc-analyze", port: pipeline.analyze.http.port),
            .init(executable: "voc-route", port: pipeline.route.http.port),
            .init(executable: "voc-notify", port: pipeline.notify.http.port, environment: notify),
        ]
        self.replicas = replicas
    }

    /// The folder holding `voc` and the service executables built with it.
    static var executablesFolder: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Parses `voc-analyze=2,voc-transcribe=1` (the `voc-` may be left out).
    static func parseReplicas(_ specs: [String]) throws -> [String: Int] {
        var replicas: [String: Int] = [:]
        for spec in specs.flatMap({ $0.split(separator: ",") }) {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let count = Int(parts[1]), (1...16).contains(count) else {
                throw ValidationError("--replicas \(spec): expected NAME=COUNT with COUNT from 1 to 16")
            }
            replicas[parts[0].hasPrefix("voc-") ? parts[0] : "voc-" + parts[0]] = count
        }
        return replicas
    }

    /// - Returns: one supervised process per replica of every member.
    func supervisors(folder: URL, common: [String: String], logger: Logger) throws -> [SupervisedProcess] {
        let logs = folder.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        var supervisors: [SupervisedProcess] = []
        for member in members {
            let path = Self.executablesFolder.appendingPathComponent(member.executable).path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw ValidationError("\(path) is missing: build every product (swift build) before voc up --processes")
            }
            for index in 0..<(replicas[member.executable] ?? 1) {
                let name = index == 0 ? member.executable : "\(member.executable)-\(index + 1)"
                var environment = ProcessInfo.processInfo.environment
                environment.merge(common) { _, new in new }
                environment.merge(member.environment) { _, new in new }
                environment["VOC_HTTP_PORT"] = "\(member.port + 100 * index)"
                let log = logs.appendingPathComponent("\(name).log").path
                supervisors.append(SupervisedProcess(
                    name: name, restartsMetric: "voc_up_process_restarts_total", dimensions: [("process", name)],
                    logger: logger, launch: { [environment] in SpawnedProcess([path], environment: environment, outputPath: log, ownGroup: true) }))
            }
        }
        return supervisors
    }
}

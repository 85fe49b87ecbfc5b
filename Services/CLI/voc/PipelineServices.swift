import Analyze
import Configuration
import Foundation
import Ingest
import Logging
import Notify
import Projector
import Route
import ServiceLifecycle
import Transcribe
import VOCRuntime
import VOCStore

/// The services of `voc up` in one process, against one PostgreSQL database and
/// one broker. Their own keys (`ingest.*`, `analyze.*`, `transcribe.*`, `route.*`, `notify.*`, from the
/// environment and `VOC_CONFIG`) apply as they do for the separate executables.
struct PipelineServices {
    struct Ports {
        var ingest: Int
        var projector: Int
        var analyze: Int
        var transcribe: Int
        var route: Int
        var notify: Int
    }

    var ingest: IngestConfiguration
    var projector: ProjectorConfiguration
    var analyze: AnalyzeConfiguration
    var transcribe: TranscribeConfiguration
    var route: RouteConfiguration
    var notify: NotifyConfiguration

    /// - Parameters:
    ///   - store: The database; each service connects to it as its own ``DatabaseRole``.
    ///   - folder: where recordings go unless `blob.localDir` says otherwise.
    init(reader: ConfigReader, common: CommonSettings, store: StoreConfiguration, folder: URL, host: String, ports: Ports) throws {
        ingest = try IngestConfiguration(config: reader)
        ingest.common = common
        ingest.store = store.serving(.ingest)
        ingest.http = HTTPSettings(host: host, port: ports.ingest)
        if reader.string(forKey: "blob.localDir") == nil {
            ingest.blob.localDirectory = folder.appendingPathComponent("blobs").path
        }
        projector = try ProjectorConfiguration(config: reader)
        projector.common = common
        projector.store = store.serving(.projector)
        projector.http = HTTPSettings(host: host, port: ports.projector)
        // The digest plays recordings from where ingest stored them.
        projector.blob = ingest.blob
        analyze = try AnalyzeConfiguration(config: reader)
        analyze.common = common
        analyze.store = store.serving(.analyze)
        analyze.http = HTTPSettings(host: host, port: ports.analyze)
        transcribe = try TranscribeConfiguration(config: reader)
        transcribe.common = common
        transcribe.http = HTTPSettings(host: host, port: ports.transcribe)
        transcribe.blob = ingest.blob
        route = try RouteConfiguration(config: reader)
        route.common = common
        route.store = store.serving(.route)
        route.http = HTTPSettings(host: host, port: ports.route)
        if route.directoryPath.isEmpty {
            // A copy the ticket API can edit, kept with the rest of the state across restarts.
            route.directoryPath = try RouteApp.seedDirectory(at: folder.appendingPathComponent("route-directory.json")).path
        }
        notify = try NotifyConfiguration(config: reader)
        notify.common = common
        notify.store = store.serving(.notify)
        notify.http = HTTPSettings(host: host, port: ports.notify)
    }

    /// Builds the applications, in the order a service group starts them.
    func build() throws -> [any Service] {
        func loud(_ name: String, _ build: (Logger) throws -> any Service) rethrows -> any Service {
            let logger = Logger(label: name)
            return FailingLoudly(name, try build(logger), logger: logger)
        }
        return [
            try loud("voc-ingest") { try IngestApp.build(configuration: ingest, logger: $0) },
            try loud("voc-projector") { try ProjectorApp.build(configuration: projector, logger: $0) },
            try loud("voc-transcribe") { try TranscribeApp.build(configuration: transcribe, logger: $0) },
            try loud("voc-analyze") { try AnalyzeApp.build(configuration: analyze, logger: $0) },
            try loud("voc-route") { try RouteApp.build(configuration: route, logger: $0) },
            try loud("voc-notify") { try NotifyApp.build(configuration: notify, logger: $0) },
        ]
    }
}

import Hummingbird
import Ingest
import Logging
import VOCRuntime

/// `voc-ingest`: reads configuration and runs the ingest service until SIGTERM/SIGINT.
@main
struct IngestMain {
    static func main() async throws {
        let config = try await Settings.reader()
        let configuration = try IngestConfiguration(config: config)
        Observability.bootstrap(logLevel: configuration.common.logLevel)
        let app = try IngestApp.build(configuration: configuration, logger: Logger(label: "voc-ingest"))
        try await app.runService()
    }
}

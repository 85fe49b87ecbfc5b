import Analyze
import Hummingbird
import Logging
import VOCRuntime

/// `voc-analyze`: reads configuration and runs analyze until SIGTERM/SIGINT.
@main
struct AnalyzeMain {
    static func main() async throws {
        let config = try await Settings.reader()
        let configuration = try AnalyzeConfiguration(config: config)
        Observability.bootstrap(logLevel: configuration.common.logLevel)
        let app = try AnalyzeApp.build(configuration: configuration, logger: Logger(label: "voc-analyze"))
        try await app.runService()
    }
}

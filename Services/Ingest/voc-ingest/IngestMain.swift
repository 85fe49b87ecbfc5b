import Ingest
import VOCRuntime

/// `voc-ingest`: runs the ingest service until SIGTERM/SIGINT.
@main
struct IngestMain {
    static func main() async throws {
        try await ServiceMain.run("voc-ingest", IngestApp.build(configuration:logger:))
    }
}

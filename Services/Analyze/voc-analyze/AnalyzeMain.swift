import Analyze
import VOCRuntime

/// `voc-analyze`: runs analyze until SIGTERM/SIGINT.
@main
struct AnalyzeMain {
    static func main() async throws {
        try await ServiceMain.run("voc-analyze", AnalyzeApp.build(configuration:logger:))
    }
}

import Projector
import VOCRuntime

/// `voc-projector`: runs the projector until SIGTERM/SIGINT.
@main
struct ProjectorMain {
    static func main() async throws {
        try await ServiceMain.run("voc-projector", ProjectorApp.build(configuration:logger:))
    }
}

import ArgumentParser
import Foundation
import Ingest

/// `voc gateway-key create`: issues a gateway's API key into the keys file ingest reads
/// (`ingest.keysFile`). The file keeps only the key's SHA-256; the key is printed once.
struct GatewayKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-key", abstract: "Issue API keys for channel gateways and the CRM.", subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a gateway with a new key and print the key (once).")

        @Option(help: "Gateway id, e.g. hotline-recorder.")
        var gateway: String

        @Option(help: "Channels it may submit, comma-separated (hotline_call, advisor_call, chat, app_feedback, email, video).")
        var channels: String = ""

        @Flag(help: "May update customers (PUT /v1/customers/{id}): the CRM's key.")
        var customers = false

        @Option(help: "Interactions per second (per ingest replica); default: ingest.defaultRatePerSecond.")
        var rate: Double?

        @Flag(help: "Give a gateway that has a key a second one with the same permissions (delete the old entry once the gateway switched).")
        var rotate = false

        @Option(help: "The keys file ingest reads (ingest.keysFile).")
        var file: String = ".voc/gateway-keys.json"

        func run() throws {
            let list = channels.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            do {
                let key = try GatewayKeyFile.addGateway(gateway, channels: list, customers: customers, ratePerSecond: rate,
                                                         rotating: rotate, to: file)
                print(key)
                FileHandle.standardError.write(Data("gateway \(gateway) added to \(file); ingest picks it up within a second. Keep the key: it is not stored.\n".utf8))
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }
}

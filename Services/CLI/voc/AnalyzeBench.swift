import Analyze
import ArgumentParser
import Foundation
import Logging
import VOCProcess
import VOCRuntime
import VOCSchema

/// `voc bench analyze`: insights per second on one core for 300-character Chinese
/// texts, next to the Python peer (scripts/bench_analyze_peer.py: jieba + snownlp +
/// regex PII with checks) on the same texts, and the peak memory of both.
struct AnalyzeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Analyze throughput and memory vs the Python peer (run under `taskset -c 0` for one core).")

    @Option(help: "Texts to analyse (each side analyses all of them once after a warm-up).")
    var texts: Int = 3_000

    @Option(help: "Characters per text.")
    var length: Int = 300

    @Option(help: "Python with jieba and snownlp (make bench-analyze creates it).")
    var python: String = ".venv-bench/bin/python"

    @Option(help: "The Python peer script.")
    var peer: String = "scripts/bench_analyze_peer.py"

    @Option(help: "Measure only with this clause cache (0: every piece of text goes to jieba); default: without, then with the default cache.")
    var clauseCache: Int?

    @Flag(help: "Measure only analyze, not the Python peer.")
    var skipPeer = false

    @Flag(help: "Leave out the run with the rules alone (no learned model).")
    var skipRulesOnly = false

    @Flag(help: "Leave out the runs with the e5 slow path (keep the linear model alone).")
    var skipEmbedding = false

    /// One measured configuration: the clause cache, the model (nil: rules alone) and whether
    /// the unsure documents go to e5 (`analyze.embeddingPath=off` turns that off).
    struct Run {
        var cache: Int
        var model: URL?
        var embedding: Bool

        var name: String {
            (cache == 0 ? "clause cache off" : "clause cache on ")
                + (model == nil ? ", rules alone  " : embedding ? ", model with e5" : ", model, no e5 ")
        }
    }

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-bench-analyze-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("texts.jsonl")
        let lines = BenchTexts.make(count: texts, length: length)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)

        // Without the cache first: it is the figure that does not depend on how repetitive the texts are.
        guard let model = LinearModel.bundledURL() else { throw ValidationError("the bundled model is missing") }
        let caches = clauseCache.map { [$0] } ?? [0, ChineseSegmenter.defaultClauseCache]
        var runs = skipEmbedding ? [] : caches.map { Run(cache: $0, model: model, embedding: true) }
        runs += caches.map { Run(cache: $0, model: model, embedding: false) }
        if !skipRulesOnly { runs.append(Run(cache: caches[0], model: nil, embedding: false)) }
        // The peak after the first run is that of a process holding one analyzer, as the
        // stage does and as the peer's process does; later runs build analyzers of their own
        // in the same process, and what the allocator kept of the earlier ones adds to it.
        var results: [SwiftResult] = []
        var onePeakMB = 0
        for run in runs {
            results.append(try measureSwift(lines, run))
            if results.count == 1 { onePeakMB = Self.status("VmHWM:") / 1024 }
        }
        var peerResult: PeerResult?
        if !skipPeer {
            peerResult = try runPeer(file)
        }
        var report = """

            Analyze benchmark: \(texts) Chinese texts of \(length) characters (one customer utterance each, with PII,
            complaints and profile facts), analysed one after another after a 100-text warm-up; CPUs allowed: \(cpusAllowed())
              voc analyze (jieba + PII + sentiment + TF-IDF keywords + 12 categories + compliance + profile facts
                           + complaint risk + effort + clusters, JSON line out); sentiment and categories from the
                           learned model (\(try LinearModel.load(model).version)) unless "rules alone"
            """
        for (run, result) in zip(runs, results) {
            report += """

                    insights/s, \(run.name)   \(Int(result.perSecond))
                """
            for (path, figures) in result.paths.sorted(by: { $0.key < $1.key }) where run.model != nil {
                report += "\n          " + path.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: " %5.1f%% of documents, %8.1f docs/s (%.2f ms each)", Double(figures.count) * 100 / Double(texts),
                             Double(figures.count) / figures.seconds, figures.seconds * 1000 / Double(figures.count))
            }
        }
        let peakMB = Self.status("VmHWM:") / 1024
        report += """

                peak RSS, one analyzer         \(onePeakMB) MB (the voc process after the first run: jieba dictionary, rule pack, model, e5, corpus, clusters)
                peak RSS, after every run      \(peakMB) MB
            """
        if let peerResult {
            report += """

                  Python peer (jieba segmentation → snownlp sentiment classifier, jieba TF-IDF keywords, regex PII with checks,
                               JSON line out)
                    insights/s                     \(Int(peerResult.perSecond))
                    peak RSS                       \(Int(peerResult.peakMB)) MB
                """
            for (run, result) in zip(runs, results) {
                report += """

                      voc / Python, \(run.name)   \(String(format: result.perSecond < peerResult.perSecond ? "%.3f" : "%.1f", result.perSecond / peerResult.perSecond))× the throughput
                    """
            }
            report += """

                  voc / Python, memory           \(String(format: "%.2f", Double(onePeakMB) / peerResult.peakMB)) (one analyzer)

                """
        }
        print(report)
    }

    struct SwiftResult {
        var perSecond: Double
        /// Per learned-model path (linear, embedding, linear-fallback): documents and the seconds they took.
        var paths: [String: (count: Int, seconds: Double)]
    }

    struct PeerResult: Decodable {
        var perSecond: Double
        var peakMB: Double
        enum CodingKeys: String, CodingKey {
            case perSecond = "insights_per_second"
            case peakMB = "max_rss_mb"
        }
    }

    func measureSwift(_ lines: [String], _ run: Run) throws -> SwiftResult {
        guard let rules = CompiledRules.bundledURL() else { throw ValidationError("the bundled rule pack is missing") }
        let analyzer = try Analyzer.make(rulesURL: rules, modelURL: run.model, clauseCache: run.cache, embedding: run.embedding,
                                         logger: Logger(label: "bench"))
        let decoder = JSONCoding.decoder()
        let inputs = try lines.map { try decoder.decode(AnalysisInput.self, from: Data($0.utf8)) }
        var bytes = 0
        for input in inputs.prefix(100) {
            bytes += InsightJSON.offlineLine(analyzer.analyzeAndLearn(input)).count
        }
        var paths: [String: (count: Int, seconds: Double)] = [:]
        let started = ContinuousClock.now
        for input in inputs {
            let begun = ContinuousClock.now
            let analysis = analyzer.analyze(input)
            analyzer.learn(analysis.learning)
            bytes += InsightJSON.offlineLine(analysis.insight).count
            let path = analysis.path?.rawValue ?? "rules"
            paths[path, default: (0, 0)].count += 1
            paths[path, default: (0, 0)].seconds += (ContinuousClock.now - begun).seconds
        }
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.seconds
        precondition(bytes > 0)
        return SwiftResult(perSecond: Double(inputs.count) / seconds, paths: paths)
    }

    func runPeer(_ file: URL) throws -> PeerResult {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ValidationError("\(python) is missing: run `make bench-analyze` (it creates the venv with jieba and snownlp)")
        }
        guard let (status, output) = ChildProcess.run([python, peer, file.path]) else {
            throw ValidationError("the Python peer could not be started")
        }
        guard status == 0 else { throw ValidationError("the Python peer exited with \(status)") }
        // jieba logs to stderr, which shares the output: the figures are the last line.
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        return try JSONDecoder().decode(PeerResult.self, from: Data(last.utf8))
    }

    static func status(_ key: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return -1 }
        return kilobytes
    }

    func cpusAllowed() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return "?" }
        return line.split(separator: "\t").last.map(String.init) ?? "?"
    }
}

/// Deterministic 300-character customer texts built from contact-centre sentences.
enum BenchTexts {
    static let sentences = [
        "我的信用卡年费怎么扣了两次，请尽快帮我退回。", "这已经是我第三次打电话了，问题还是没有解决。", "你们的客服态度太差了，说两句就挂我电话。",
        "再不处理我就向银保监投诉，还要找媒体曝光。", "上个月的账单我已经按时还款了，为什么还显示逾期？", "征信上多了一条不良记录，严重影响我申请房贷。",
        "催收的人天天打电话给我家人和同事，这是暴力催收。", "我想提前还款，把剩下的分期一次性结清。", "手机银行一直登不上，验证码也收不到。",
        "我昨天赎回的基金到现在还没到账。", "卡被盗刷了三笔，都不是我本人操作的。", "请删除我的个人信息，我不想再接到营销电话。",
        "我有高血压，医生说不能喝酒，你们送的红酒我用不上。", "我怕坐飞机，机场贵宾厅对我没有用。", "我退休了，平时喜欢看电影和喝茶。",
        "我儿子在上大学，学费压力很大。", "小王服务特别耐心，我要表扬她。", "你们的分期手续费太高了，年化利率到底是多少？",
        "这个理财产品是保本的吗？收益率多少？", "排队等了半个小时，又被转来转去。", "利息算得不对，多收了我两百块钱。",
        "我要注销这张卡，把剩余的钱退给我。", "客服说会回电，结果一直没有人联系我。", "这个月工资还没发，还款能不能延期几天？",
    ]

    static func make(count: Int, length: Int) -> [String] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(next(10))) }) }
        let encoder = JSONCoding.encoder()
        return (0..<count).map { index in
            var text = ""
            while text.count < length {
                switch next(8) {
                case 0: text += "我的手机是1\(3 + next(7))\(digits(9))，"
                case 1: text += "卡号\(luhn("62220" + digits(13)))，"
                default: text += sentences[next(sentences.count)]
                }
            }
            let body: [String: AnyCodable] = [
                "id": .string("bench-\(index)"), "channel": .string("hotline_call"), "businessLine": .string("credit_card"),
                "utterances": .array([["speaker": "customer", "text": String(text.prefix(length))]]),
            ]
            return String(decoding: try! encoder.encode(body), as: UTF8.self)
        }
    }

    static func luhn(_ body: String) -> String {
        body + String(PIIDetector.luhnDigit(body))
    }

    enum AnyCodable: Encodable {
        case string(String)
        case array([[String: String]])
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .array(let value): try container.encode(value)
            }
        }
    }
}

@testable import Analyze
import CJieba
import CJiebaReference
import Foundation
import Testing

/// analyze's compact dictionary must cut exactly as cppjieba's own DictTrie does.
@Suite("jieba over the compact dictionary equals cppjieba")
struct JiebaDictionaryTests {
    /// Both segmenters over the bundled dictionary; cppjieba's takes ~1 s and 150 MB, so one for the suite.
    final class Pair: @unchecked Sendable {
        let compact: OpaquePointer
        let reference: OpaquePointer

        init() throws {
            let folder = try #require(ChineseSegmenter.bundledDictionary())
            let words = folder.appendingPathComponent("jieba.dict.utf8").path
            let hmm = folder.appendingPathComponent("hmm_model.utf8").path
            var error = [CChar](repeating: 0, count: 256)
            compact = try #require(voc_jieba_open(words, hmm, &error, error.count))
            reference = try #require(voc_jieba_reference_open(words, hmm))
        }

        deinit {
            voc_jieba_close(compact)
            voc_jieba_reference_close(reference)
        }

        func cuts(_ text: String) -> (compact: [String], reference: [String]) {
            var copy = text
            return copy.withUTF8 { bytes in
                let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var ends = [UInt32](repeating: 0, count: bytes.count + 1)
                let mine = voc_jieba_cut(compact, base, bytes.count, &ends, ends.count)
                let compactWords = Self.words(bytes, ends.prefix(mine))
                let theirs = voc_jieba_reference_cut(reference, base, bytes.count, &ends, ends.count)
                return (compactWords, Self.words(bytes, ends.prefix(theirs)))
            }
        }

        static func words(_ bytes: UnsafeBufferPointer<UInt8>, _ ends: ArraySlice<UInt32>) -> [String] {
            var start = 0
            return ends.map { end in
                defer { start = Int(end) }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<Int(end)]), as: UTF8.self)
            }
        }
    }

    static let pair = Result { try Pair() }

    /// Contact-centre sentences, the labelled sets, and text jieba treats specially: digits,
    /// Latin words, full-width forms, emoji, spaces, punctuation of every kind.
    static func texts() throws -> [String] {
        try SpeedPathTests.labelledTexts() + [
            "我的信用卡年费怎么扣了两次，请尽快帮我退回。", "这已经是我第三次打电话了，问题还是没有解决！",
            "我的手机是13812345678，卡号6222021234567890123，邮箱zhang.san+vip@example.com",
            "ETF基金和QDII产品的区别是什么？APP里看不到。", "ＡＢＣ１２３　全角字符", "太差了😡😡我要投诉🙏",
            "年化利率18.5%，手续费¥200.00，还有0.05%的违约金", "   空格  和\t制表符\n换行", "——“引号”《书名号》（括号）【方括号】……",
            "研究生命起源", "结婚的和尚未结婚的", "南京市长江大桥", "他说的确实在理", "", "a", "。",
        ]
    }

    @Test("the same words as cppjieba's DictTrie, on the labelled sets and hard cases")
    func sameWords() throws {
        let pair = try Self.pair.get()
        for text in try Self.texts() {
            let cut = pair.cuts(text)
            #expect(cut.compact == cut.reference, "\(text)")
            #expect(cut.compact.joined() == text)
        }
    }

    @Test("random Chinese text cuts the same as cppjieba, words of the dictionary or not")
    func randomText() throws {
        let pair = try Self.pair.get()
        let sentences = try Self.texts().filter { !$0.isEmpty }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            // Pieces of real sentences glued together, plus rare characters, so the DAG meets
            // long words, unknown runs and the HMM in unusual neighbourhoods (characters of
            // Extension A are in none of the HMM's emission tables).
            var text = ""
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let sentence = Array(sentences.randomElement(using: &generator)!)
                let from = Int.random(in: 0..<sentence.count, using: &generator)
                let to = Int.random(in: from...sentence.count, using: &generator)
                text += String(sentence[from..<to])
                if Bool.random(using: &generator) {
                    let range: ClosedRange<UInt32> = Bool.random(using: &generator) ? 0x4E00...0x9FA5 : 0x3400...0x4DBF
                    text.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: range, using: &generator))!)
                }
            }
            let cut = pair.cuts(text)
            #expect(cut.compact == cut.reference, "\(text)")
        }
    }

    @Test("added words: new ones change the cut as cppjieba's user words do; known ones are left alone")
    func addedWords() throws {
        let folder = try #require(ChineseSegmenter.bundledDictionary())
        let words = folder.appendingPathComponent("jieba.dict.utf8").path
        let hmm = folder.appendingPathComponent("hmm_model.utf8").path
        var error = [CChar](repeating: 0, count: 256)
        let compact = try #require(voc_jieba_open(words, hmm, &error, error.count))
        defer { voc_jieba_close(compact) }
        let reference = try #require(voc_jieba_reference_open(words, hmm))
        defer { voc_jieba_reference_close(reference) }
        let before = voc_jieba_word_count(compact)

        for word in ["提额", "照扣", "暴力催收", "信用卡"] {
            var copy = word
            let added = copy.withUTF8 { voc_jieba_add_word(compact, $0.baseAddress, $0.count) }
            if word == "信用卡" {
                #expect(added == 0, "a dictionary word keeps its own weight")
            } else {
                #expect(added == 1)
                #expect(copy.withUTF8 { voc_jieba_reference_add_word(reference, $0.baseAddress, $0.count) } == 1)
            }
        }
        #expect(voc_jieba_word_count(compact) == before + 3)
        #expect(voc_jieba_add_word(compact, "", 0) == -1)

        var text = "我想申请提额，利息还照扣，这是暴力催收，信用卡额度能提吗"
        text.withUTF8 { bytes in
            let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            var mine = [UInt32](repeating: 0, count: bytes.count)
            var theirs = [UInt32](repeating: 0, count: bytes.count)
            let count = voc_jieba_cut(compact, base, bytes.count, &mine, mine.count)
            #expect(count == voc_jieba_reference_cut(reference, base, bytes.count, &theirs, theirs.count))
            #expect(mine == theirs)
            let cut = Pair.words(bytes, mine.prefix(count))
            #expect(cut.contains("提额") && cut.contains("照扣") && cut.contains("暴力催收"), "\(cut)")
        }
    }

    @Test("a missing or malformed dictionary is an error naming the file, not a crash")
    func badDictionary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-jieba-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: AnalyzeError.self) { try ChineseSegmenter(dictionary: folder) }
        do {
            _ = try ChineseSegmenter(dictionary: folder)
        } catch {
            #expect(error.description.contains("jieba.dict.utf8"), "\(error)")
        }
        try "信用卡 100 n\n年费 两百 n 多余\n".write(to: folder.appendingPathComponent("jieba.dict.utf8"), atomically: true, encoding: .utf8)
        do {
            _ = try ChineseSegmenter(dictionary: folder)
            Issue.record("a malformed line was accepted")
        } catch {
            #expect(error.description.contains("line 2"), "\(error)")
        }
        // A broken HMM model would make cppjieba abort the process; it is refused by line instead.
        try "信用卡 100 n\n年费 200 n\n".write(to: folder.appendingPathComponent("jieba.dict.utf8"), atomically: true, encoding: .utf8)
        try "# start\n-0.26 -3.14e+100 -3.14e+100 -1.46\n# trans\n1 2 3\n".write(
            to: folder.appendingPathComponent("hmm_model.utf8"), atomically: true, encoding: .utf8)
        do {
            _ = try ChineseSegmenter(dictionary: folder)
            Issue.record("a malformed HMM model was accepted")
        } catch {
            #expect(error.description.contains("hmm_model.utf8 line 4"), "\(error)")
        }
        try "0 0 0 0\n0 0 0 0\n0 0 0 0\n0 0 0 0\n0 0 0 0\n我:-1,你:-2\n".write(
            to: folder.appendingPathComponent("hmm_model.utf8"), atomically: true, encoding: .utf8)
        do {
            _ = try ChineseSegmenter(dictionary: folder)
            Issue.record("a truncated HMM model was accepted")
        } catch {
            #expect(error.description.contains("ends early"), "\(error)")
        }
    }

    @Test("the chunk cut at a full-width comma or full stop is jieba's own cut there")
    func clauseCuts() throws {
        let pair = try Self.pair.get()
        // jieba's pre-filter cuts at ，。 and white space only: across ？ the HMM may join.
        let whole = pair.cuts("信用卡额度能提吗？我想申请提额。").reference
        #expect(whole.contains("提吗"))
        #expect(!Array("？".utf8).withUnsafeBufferPointer { ChineseSegmenter.isClauseCut($0, at: 0) })
        #expect(Array("，".utf8).withUnsafeBufferPointer { ChineseSegmenter.isClauseCut($0, at: 0) })
    }
}

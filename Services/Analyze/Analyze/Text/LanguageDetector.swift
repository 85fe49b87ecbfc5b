/// Tells Chinese from English by script: Han characters against Latin letters.
///
/// A Chinese word is one to three characters and an English word about five letters,
/// so a text is Chinese when its Han characters are at least a quarter of its Latin
/// letters; code-mixed chat ("我的credit card被盗刷了") stays Chinese.
public enum LanguageDetector {
    /// `zh`, `en`, or `und` when the text has neither script.
    public static func detect(_ text: String) -> String {
        detect([text])
    }

    /// The language of several texts taken together.
    static func detect(_ texts: [String]) -> String {
        var han = 0, latin = 0
        for text in texts {
            for scalar in text.unicodeScalars {
                if ChineseSegmenter.isCJK(scalar) { han += 1 }
                else if (65...90).contains(scalar.value) || (97...122).contains(scalar.value) { latin += 1 }
            }
        }
        if han == 0 && latin == 0 { return "und" }
        return han * 4 >= latin && han > 0 ? "zh" : "en"
    }

    /// The language to analyse with: the given tag when it names Chinese or English
    /// (`zh-CN`, `en-US` …), otherwise the detected one.
    public static func resolve(given: String?, text: String) -> String {
        resolve(given: given, texts: [text])
    }

    static func resolve(given: String?, texts: [String]) -> String {
        if let given = given?.lowercased() {
            if given.hasPrefix("zh") { return "zh" }
            if given.hasPrefix("en") { return "en" }
        }
        return detect(texts)
    }
}

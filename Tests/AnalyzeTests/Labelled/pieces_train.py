"""Hand-written pieces the train/dev writer combines (make_train_dev.py). The test split
(make_test.py, pieces_test.py) is written separately and shares none of these pieces.

Per category and language: `neg` (a problem or complaint: the customer's stance is
negative, with or without an emotion word), `neu` (an inquiry or a request), `pos`
(something went well). Pieces are separated by `|`.
"""

def split(text):
    return [p.strip() for p in text.split("|") if p.strip()]

ZH = {
    "repayment": dict(
        neg=split("自动还款又没扣成功，害我逾期了|我明明按时还款了，系统还显示我逾期|还款到账了额度却一直没恢复|分期还款的金额每个月都不一样，到底怎么算的？|我还了钱怎么还在催我还款|提前还款的申请提交三天了还没处理|账单日改了也不通知一声，这不是坑人吗|还款页面一直报错，钱扣了账单没销"),
        neu=split("这个月的账单能不能分期还款|最低还款额是多少|我想提前把贷款一次性结清，怎么操作|还款日可以改到每月十五号吗|自动还款绑定的卡怎么换|逾期一天会影响什么吗|房贷这个月想晚几天还可以吗|怎么查剩下还要还多少期"),
        pos=split("还款延期申请这么快就批了，帮了我大忙|提前结清办得很顺利，一次就搞定了")),
    "fees_interest": dict(
        neg=split("年费不是说免了吗，怎么又扣了三百|这个月莫名其妙多了一笔手续费|利息比当初说的高了一倍|滞纳金收得也太狠了吧|同一笔服务费扣了两次|分期手续费当时根本没人告诉我|取现利息按天算也没提醒|这么高的利率难道不是高利贷吗"),
        neu=split("年费怎么才能免掉|分期的手续费率是多少|提前还款要收违约金吗|取现的利息怎么计算|这笔费用是什么名目的|账单上的服务费是什么意思"),
        pos=split("多扣的年费已经退回来了，处理得很及时|利率帮我降下来了，挺好的")),
    "collection_conduct": dict(
        neg=split("催收天天打电话骚扰我家里人|催收员说话很难听还威胁我|一天打了二十几个催收电话|催收打到我单位去了，让我很难堪|我都说了下周还，催收还一直打|催收短信发给我所有联系人|半夜十一点还打催收电话|催收冒充律师吓唬我老婆"),
        neu=split("催收电话能不能只打我本人|我想跟你们协商一个还款计划，别再催收了可以吗|请问催收的联系方式是你们公司的吗|逾期了会被委托外包催收吗"),
        pos=split("催收的工作人员态度还挺客气，给我讲了方案")),
    "credit_report": dict(
        neg=split("我的征信上多了一条逾期记录|明明没逾期征信却有污点|征信报告显示的欠款不对|你们报送的征信信息错了，害我房贷批不下来|说好的征信异议处理，一个月了没消息|征信上的查询记录不是我授权的"),
        neu=split("逾期多久会上征信|征信记录多久能更新|怎么申请征信异议|结清之后征信会显示什么|我想查一下报送给人行的记录"),
        pos=split("征信的错误记录已经更正了，谢谢你们跑前跑后")),
    "refund_cancellation": dict(
        neg=split("退款一周了还没到账|取消了订单钱还没退回来|会员说好的随时取消，结果取消不了|退款申请被驳回也不说原因|我要求退款都说了三次了|退货后钱一直没退|取消保险后保费只退了一半|说好七个工作日退款，现在都一个月了"),
        neu=split("怎么取消自动续费|退款一般几天到账|会员服务可以退吗|我想取消这个增值服务|保险犹豫期内退保怎么办理|取消信用卡需要什么手续"),
        pos=split("退款今天到账了，速度挺快|取消手续很简单，几分钟就办好了")),
    "account_access": dict(
        neg=split("登录一直提示密码错误，可我没改过|账户被冻结了我都不知道为什么|验证码一直收不到|APP登不上去已经两天了|换了手机之后就进不去账户了|人脸识别怎么都通不过|账号被锁了，客服说要等二十四小时"),
        neu=split("忘记登录密码了怎么重置|怎么修改绑定的手机号|怎么注销账户|账户解冻需要带什么材料|新手机怎么登录网银|交易密码忘了怎么办"),
        pos=split("密码重置很顺利，现在能登录了")),
    "product_inquiry": dict(
        neg=split("买的理财亏了，当初说得那么好|这款基金收益率根本没有宣传的那么高|产品介绍写得含糊不清，看了也不懂"),
        neu=split("你们有什么适合老年人的理财产品|这款基金的风险等级是多少|定期存款利率现在是多少|我想了解一下这款保险的保障范围|有没有期限短一点的理财|这个产品起购金额是多少|新出的那款理财是保本的吗|信用卡有哪几种可以办"),
        pos=split("理财经理推荐的产品很适合我，收益也稳定")),
    "redemption_withdrawal": dict(
        neg=split("赎回申请提交了五天钱还没到|基金赎回被拖着不给办|提现一直显示处理中|赎回的钱少了一大截|到期了想赎回却说要排队|提现失败钱也没退回余额"),
        neu=split("基金赎回多久到账|理财到期怎么赎回|提现有没有额度限制|赎回要收手续费吗|怎么把余额提现到银行卡|部分赎回可以吗"),
        pos=split("赎回的钱当天就到账了，很方便")),
    "fraud_security": dict(
        neg=split("我的卡被盗刷了好几笔|有人冒充你们客服骗我转账|收到一条陌生的扣款短信，不是我消费的|账户被人异地登录了|卡在身上却在外地刷了两千|有人用我的身份开了账户"),
        neu=split("怎么挂失银行卡|收到说我中奖的短信是真的吗|怎么开通交易提醒|我想冻结一下卡片防止被盗用|如何辨别诈骗电话"),
        pos=split("盗刷的钱已经追回来了，感谢你们及时冻结")),
    "service_quality": dict(
        neg=split("打了半小时电话都没人接|转了三次人工都解决不了问题|客服一问三不知|你们就是这样对待客户的吗|客服挂我电话|等了一个小时还在排队|回复太慢了|每次都让我等通知，等到什么时候|说好回电结果没人回|网点排队两小时只开一个窗口"),
        neu=split("人工客服怎么转|客服热线几点上班|我想提个建议，APP能不能加个夜间模式|投诉要走什么流程|网点周末营业吗"),
        pos=split("")),
    "privacy_data": dict(
        neg=split("我的个人信息被泄露了，天天接到推销电话|没经过我同意就把信息给第三方了|注销了账户你们还留着我的资料|营销短信退订了还一直发|别人拿着我的资料来推销贷款"),
        neu=split("我想查看你们保存了我哪些个人信息|怎么关闭个性化推荐|能不能删除我的个人数据|怎么退订营销短信"),
        pos=split("")),
    "praise": dict(
        neg=split(""),
        neu=split(""),
        pos=split("客服小李特别耐心，帮我解决了问题|今天的客服服务态度非常好|理财经理很专业，讲得清清楚楚|你们的APP越来越好用了|这次处理得又快又好，点个赞|谢谢王经理，一直很负责|工作人员很热情，体验很好|问题当场就解决了，太给力了")),
}

EN = {
    "repayment": dict(
        neg=split("The autopay didn't go through and now I'm marked late|I paid on time but the account still shows overdue|My payment posted days ago and the credit limit is still not restored|Why is my installment amount different every month?|I already paid and you're still asking me to pay|The payoff request I sent three days ago is still pending|The payment page keeps failing and the money left my account anyway"),
        neu=split("Can I set up a payment plan for this statement|What's the minimum payment this month|How do I pay off the loan early|Can I move my due date to the 15th|How do I change the card used for autopay|What happens if I pay a day late|How many installments are left on my loan"),
        pos=split("Thanks for approving the payment extension so quickly, it really helped")),
    "fees_interest": dict(
        neg=split("You charged me the annual fee again even though it was waived|There's a mystery service charge on my statement|The interest rate is twice what I was quoted|The late fee is outrageous|I was charged the same fee twice|Nobody told me about the installment fee|Is this how you treat customers, hiding fees everywhere?|The cash advance interest was never mentioned"),
        neu=split("How can I get the annual fee waived|What's the fee for installments|Is there a penalty for paying off early|How is cash advance interest calculated|What is this charge on my bill for"),
        pos=split("The double charge was refunded right away, much appreciated")),
    "collection_conduct": dict(
        neg=split("Your collectors keep calling my parents|The debt collector was rude and threatened me|I got twenty collection calls in one day|Collectors called my workplace and embarrassed me|They call after 11 at night|The collector pretended to be a lawyer"),
        neu=split("Can collection calls go only to me|I'd like to work out a repayment plan with collections|Is this collection agency working for you"),
        pos=split("The collections officer was actually polite and explained my options")),
    "credit_report": dict(
        neg=split("There's a late payment on my credit report that isn't mine|You reported the wrong balance to the credit bureau|My mortgage got denied because of your reporting error|My dispute has been open for a month with no answer|There's a hard inquiry I never authorized"),
        neu=split("When does a late payment show up on my credit report|How long until the credit bureau updates|How do I file a credit report dispute|What will my report show after I close the account"),
        pos=split("Thank you for correcting my credit report so quickly")),
    "refund_cancellation": dict(
        neg=split("My refund still hasn't arrived after a week|I cancelled the order and never got my money back|You said I could cancel anytime but the button doesn't work|My refund was rejected with no reason given|This is the third time I'm asking for a refund|The transfer bounced again and no refund yet"),
        neu=split("How do I cancel auto renewal|How long do refunds take|Can I get a refund on the membership|I'd like to cancel this add-on service|How do I close my credit card"),
        pos=split("Got my refund today, that was fast")),
    "account_access": dict(
        neg=split("It keeps saying wrong password but I never changed it|My account got frozen without any notice|The SMS code never comes|I haven't been able to log in to the app for two days|Face verification fails every single time|I'm locked out again"),
        neu=split("How do I reset my password|How do I change the phone number on my account|How do I close my online account|What do I need to unfreeze my account|How do I log in on a new phone"),
        pos=split("Password reset worked, I'm back in")),
    "product_inquiry": dict(
        neg=split("The fund lost money and the advisor made it sound safe|The returns are nowhere near what was advertised"),
        neu=split("What savings accounts do you offer|What's the risk level of this fund|What's the current rate on term deposits|What does this insurance plan cover|Do you have shorter term investment products|What's the minimum to invest in this product|Which credit cards can I apply for"),
        pos=split("The advisor found a product that fits me well")),
    "redemption_withdrawal": dict(
        neg=split("I redeemed my fund five days ago and still no money|The withdrawal has been processing forever|I got less money back from the redemption than expected|My withdrawal failed and the balance is gone"),
        neu=split("How long does a fund redemption take|How do I redeem at maturity|Is there a limit on withdrawals|Is there a fee to redeem|Can I redeem part of it"),
        pos=split("The redemption arrived the same day, very convenient")),
    "fraud_security": dict(
        neg=split("Someone used my card for purchases I didn't make|A scammer pretending to be your staff got me to transfer money|I got a charge alert for something I never bought|Someone logged in to my account from another city|Someone opened an account in my name"),
        neu=split("How do I report a lost card|Is this text saying I won a prize really from you|How do I turn on transaction alerts|Can I freeze my card for now|How can I tell a scam call from a real one"),
        pos=split("Thanks for blocking the fraudulent charge so fast")),
    "service_quality": dict(
        neg=split("I was on hold for forty minutes|Transferred three times and nobody could help|Your agent had no idea what he was talking about|Is this how you treat customers?|The agent hung up on me|Too slow|Nobody called me back like you promised|Every time it's just wait for a notice"),
        neu=split("How do I reach a human agent|What are your hotline hours|I have a suggestion for the app|How do I file a complaint"),
        pos=split("")),
    "privacy_data": dict(
        neg=split("My personal data was leaked and now I get sales calls every day|You shared my information with a third party without asking|I closed my account and you still keep my data|I unsubscribed and you keep sending marketing texts"),
        neu=split("What personal data do you store about me|How do I turn off personalised ads|Can you delete my personal data|How do I unsubscribe from marketing texts"),
        pos=split("")),
    "praise": dict(
        neg=split(""), neu=split(""),
        pos=split("Kevin on the phone was very kind and patient|Great service today, thank you|The advisor was really professional and clear|The new app is so much easier to use|You sorted it out on the first call, impressive|Thanks Anna, you were a great help")),
}

# Stance-free words for a category, said in passing inside an inquiry about something else:
# denied, done before, or only the background of the question.
ZH_PASSING = {"redemption_withdrawal": ["我不是要赎回，", "之前赎回过一次，这回", "基金前几天已经赎回了，现在"],
              "fees_interest": ["手续费的事先不说，", "年费已经交过了，", "利息我清楚，"],
              "refund_cancellation": ["不是要取消，", "上次退款已经收到了，这次", "订单之前取消过，另外"],
              "repayment": ["还款没问题，", "这个月已经还完了，", "我一直按时还款，"],
              "account_access": ["登录是好的，", "密码上周改过了，", "账户能正常登录，"],
              "fraud_security": ["不是盗刷，", "卡以前挂失过一次，现在"]}
EN_PASSING = {"redemption_withdrawal": ["I'm not redeeming anything, ", "I redeemed some units last month, but now ", "I already withdrew the cash, so "],
              "fees_interest": ["The fee is fine, ", "I paid the annual fee already, ", "Never mind the interest, "],
              "refund_cancellation": ["I don't want to cancel, ", "I got the last refund, thanks, now ", "I cancelled an order before, but "],
              "repayment": ["My payments are fine, ", "I paid this month already, "],
              "account_access": ["I can log in fine, ", "I changed my password last week, anyway "],
              "fraud_security": ["It's not fraud, ", "I reported a lost card once before, but "]}

ZH_OPEN = split("你好，|喂，|您好，|在吗？|麻烦问一下，|那个，|请问，|")
ZH_CLOSE = split("谢谢|谢谢啊|麻烦了|好的谢谢|辛苦了|")
ZH_ANGRY = split("气死我了|太过分了|我要投诉|你们给个说法|")
EN_OPEN = split("Hi,|Hello,|Hey,|Good morning,|Quick question:|")
EN_CLOSE = split("Thanks!|Thank you.|Cheers|Thanks in advance.|Appreciate it.|")
EN_ANGRY = split("This is ridiculous.|I want to file a complaint.|Unacceptable.|")
ZH_AGENT = split("您好，这里是客户服务中心，请问有什么可以帮您？|好的，我帮您查一下。|请您稍等。|这个情况我帮您登记反馈。|明白，我们会尽快处理。|还有其他问题吗？")
EN_AGENT = split("Thanks for calling, how can I help?|Let me check that for you.|One moment please.|I'll log this for you.|We'll look into it right away.|Anything else I can help with?")
ZH_FILLER = split("嗯|那个|就是|然后|对")
# Speech-recognition slips: a word and what the recogniser heard.
ZH_SLIPS = [("还款", "环款"), ("退款", "退宽"), ("利息", "利西"), ("逾期", "鱼期"), ("赎回", "数回"), ("账户", "帐户"),
            ("密码", "秘码"), ("信用卡", "信用咖"), ("征信", "正信"), ("催收", "催手"), ("理财", "理才"), ("手续费", "手须费")]
EN_SLIPS = [("refund", "re fund"), ("fee", "fees"), ("account", "a count"), ("interest", "in trust"), ("password", "pass word"),
            ("redeem", "redeemed"), ("withdrawal", "with drawl")]
ZH_MIXED = [("信用卡", "credit card"), ("账户", "account"), ("密码", "password"), ("退款", "refund"), ("手续费", "fee"), ("APP", "app")]

FACTS_ZH = [("我有高血压，", "health.hypertension"), ("我有糖尿病，", "health.diabetes"), ("我退休了，", "life.retired"),
            ("我怕坐飞机，", "travel.fear_of_flying"), ("我平时爱看电影，", "interest.film"), ("我孩子还在上大学，", "family.child_student")]
FACTS_EN = [("I have high blood pressure, ", "health.hypertension"), ("I'm retired, ", "life.retired"),
            ("I'm afraid of flying, ", "travel.fear_of_flying"), ("I'm diabetic, ", "health.diabetes")]

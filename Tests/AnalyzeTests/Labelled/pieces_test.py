"""Pieces of the test split, written separately from pieces_train.py in other words and
other sentence shapes (context first, then the point, then what the customer wants).
Never used for training or tuning. Pieces are separated by `|`.
"""

def split(text):
    return [p.strip() for p in text.split("|") if p.strip()]

ZH = {
    "repayment": dict(
        neg=split("上个月十号就把钱存进去了，结果扣款失败还算我晚还|还清了整整一周，可用额度还是零|每期要还的钱跟合同上写的对不上|钱转过去了，催我还钱的短信照样来|App里点了还钱，余额扣了，欠款一分没少|我这个月的月供怎么多扣了一次"),
        neu=split("下个月手头紧，月供能不能先少还一点|想问下账单分成十二期是怎么个还法|贷款剩下的本金能一次还掉吗|还钱的日子能往后挪几天吗|用别人的卡帮我还信用卡可以吗"),
        pos=split("延期还的事情批下来了，真是帮了大忙|结清证明很快就寄到了，挺满意的")),
    "fees_interest": dict(
        neg=split("开卡的时候说终身免年费，今天扣了我两百八|账单上冒出一笔看不懂的管理费|当初说年化百分之五，实际算下来快百分之十|晚还了一天就罚了我一百块|一笔费用收了我两遍|收这么多钱，你们还讲不讲道理"),
        neu=split("这张卡的年费要刷几次才能免|把账单分六期，每期收多少钱|取现金的话怎么收费|账单里那笔十五块钱是什么钱"),
        pos=split("那笔多收的钱已经退给我了，处理挺快")),
    "collection_conduct": dict(
        neg=split("你们外包的人把电话打到我爸妈那里去了|打电话来的人骂我是老赖|一个上午接了十几个要债的电话|要债的人跑到我公司前台去了|晚上快十二点了还在打电话要钱"),
        neu=split("以后要债的电话能不能只打给我自己|我想谈一个分期慢慢还的方案，请别再打给我家人"),
        pos=split("负责我这笔欠款的专员讲话很和气，也帮我想了办法")),
    "credit_report": dict(
        neg=split("去银行办房贷，人家说我信用记录上有你们报的逾期|我从来没晚还过，怎么人行报告上有不良|报告上欠款数字比我实际欠的多了一万|提了异议一个多月，一点回音都没有"),
        neu=split("晚还几天会不会在人行那边留记录|销户以后信用报告上会怎么写|信用记录出错了要怎么申请修改"),
        pos=split("信用报告那条错的已经改过来了，多谢")),
    "refund_cancellation": dict(
        neg=split("东西退回去半个月了，钱还没见着|退订单的钱到现在都没回来|说好随时可以退会员，点进去根本没有退的按钮|退钱的申请给拒了，理由也不说|保险退了结果只给我退了一部分"),
        neu=split("每个月自动扣的那个会员怎么关掉|退回来的钱一般多久能到卡上|刚买的保险还在犹豫期，想退掉要怎么弄|这张副卡我不想要了，怎么销掉"),
        pos=split("退的钱已经到卡上了，比我想的快")),
    "account_access": dict(
        neg=split("早上开始就一直登不进去，说我密码不对|账号突然被限制使用了，也没人通知我|短信验证码等了十分钟都没来|换了新手机以后App就进不去了|刷脸刷了十几遍都说不是本人"),
        neu=split("登录密码想改一个，在哪里改|预留的手机号换了，要去网点改吗|账户被限制了要怎么解除|网上银行怎么在新电脑上登录"),
        pos=split("按你们说的重新设了密码，现在能进去了")),
    "product_inquiry": dict(
        neg=split("去年买的那个基金到现在亏了两成，当时说风险很低|宣传页上写的收益我一次都没拿到过"),
        neu=split("我六十多了，有没有稳一点的理财|这只基金属于哪个风险等级|三年期的存款现在利息多少|这个保险生病住院能报多少|有没有三个月以内的短期产品|最少买多少钱起|想办一张有机场贵宾厅的信用卡，有哪些"),
        pos=split("经理给我挑的那款产品很合适，收益一直很稳")),
    "redemption_withdrawal": dict(
        neg=split("周一就点了卖出基金，到今天钱还没到卡里|余额转到银行卡一直卡在处理中|卖掉理财拿回来的钱比显示的少了好多|理财到期了要取出来，说是要排队等"),
        neu=split("基金卖出以后几天能到账|到期的理财是自动转出还是要我自己操作|一天最多能转出多少钱|卖掉一半的份额可以吗"),
        pos=split("基金卖出的钱第二天就到了，很快")),
    "fraud_security": dict(
        neg=split("卡一直在我钱包里，昨天却在外省被刷了三千|有人打电话说是你们的工作人员，骗我转了五千|半夜收到扣款通知，我根本没买东西|有人拿我的身份证在你们这开了户"),
        neu=split("卡丢了要马上冻结，怎么操作|收到一条说要我点链接领奖的短信，是你们发的吗|想给卡开个消费提醒|怎么判断打来的是不是骗子"),
        pos=split("被骗的钱你们帮我拦下来了，真的谢谢")),
    "service_quality": dict(
        neg=split("电话打了四十分钟一直是忙音|转了好几个部门还是没人管|接电话的人什么都不知道|说今天回电话，等到晚上也没人打|排号排了一个多小时|办个业务要跑三趟|太慢了"),
        neu=split("怎么才能直接找到人工|周六客服有人吗|想反映一下，App的字能不能调大一点"),
        pos=split("")),
    "privacy_data": dict(
        neg=split("自从在你们这开户，每天都有推销电话打给我|我的资料你们没问过我就给了合作公司|退订了营销短信还天天收到|账户都销了，你们还存着我的信息"),
        neu=split("我想知道你们存了我哪些资料|个人信息可以申请删除吗|怎么把推荐广告关掉"),
        pos=split("")),
    "praise": dict(
        neg=split(""), neu=split(""),
        pos=split("今天接电话的小姑娘很有耐心，一点点教我|张经理办事利索，帮我省了不少事|网点的大堂经理服务特别周到|新版App用起来顺手多了|问题一次就解决了，给你们点赞")),
}

EN = {
    "repayment": dict(
        neg=split("I put the money in on the 10th and the debit still failed so now it counts as late|It's been a week since I cleared the balance and my available credit is still zero|The monthly amount doesn't match my contract|I already paid and the reminder texts keep coming"),
        neu=split("Money is tight next month, can I pay a smaller amount|How does splitting my statement into 12 payments work|Can I clear the rest of the principal in one go|Can I push my payment date back a few days"),
        pos=split("The payment holiday got approved, that really helped me out")),
    "fees_interest": dict(
        neg=split("I was promised no annual fee for life and you just took 280 from me|There is a management charge on my bill I don't understand|The APR turned out to be almost double what the banker told me|One day late and a hundred dollar penalty|You billed me for the same charge twice|Is charging this much even legal?"),
        neu=split("How many purchases do I need to skip the yearly fee|What does it cost to split my bill into six payments|What do you charge for a cash withdrawal on the card"),
        pos=split("You gave back the extra charge quickly, thanks")),
    "collection_conduct": dict(
        neg=split("Your agency keeps ringing my mom about my debt|The man who called me about the debt called me a deadbeat|Debt collectors showed up at my office reception|They were still calling about the money close to midnight"),
        neu=split("Please only contact me, not my family, about what I owe|I'd like to agree on a plan to pay back slowly"),
        pos=split("The person handling my overdue account was calm and helpful")),
    "credit_report": dict(
        neg=split("The mortgage lender says my credit file shows a late payment from you|My credit file says I owe ten thousand more than I do|I disputed the entry over a month ago and heard nothing"),
        neu=split("Will paying a few days late show up on my credit file|What will my credit file say after I close the card"),
        pos=split("The wrong entry on my credit file is fixed now, thanks")),
    "refund_cancellation": dict(
        neg=split("I sent the item back two weeks ago and the money never came|You promised I could quit the membership anytime but there's no way to do it|My request for my money back was denied with no explanation|I'm still waiting on the refund you promised last month"),
        neu=split("How do I stop the monthly membership charge|How long until returned money shows on my card|I'm still in the cooling-off period, how do I cancel the policy"),
        pos=split("The money is back on my card, quicker than I thought")),
    "account_access": dict(
        neg=split("Since this morning it won't let me in and says my password is wrong|My account got restricted out of nowhere|I've waited ten minutes and the verification text hasn't come|The app won't open my account on my new phone"),
        neu=split("Where do I change my login password|My phone number changed, do I have to visit a branch|How do I lift a restriction on my account"),
        pos=split("I reset the password like you said and it works now")),
    "product_inquiry": dict(
        neg=split("The fund I bought last year is down 20 percent and I was told it was low risk"),
        neu=split("I'm in my sixties, do you have something low risk|Which risk class is this fund in|What is the rate for a three year deposit|Do you have anything shorter than three months|Which card comes with airport lounge access"),
        pos=split("The product my advisor picked has been steady, very happy with it")),
    "redemption_withdrawal": dict(
        neg=split("I sold my fund units on Monday and the cash still isn't in my bank|Moving my balance to my bank card has been stuck for days|The payout from selling was way less than the app showed"),
        neu=split("How many days after selling fund units does the cash arrive|What's the daily limit for moving money out|Can I sell half of my units"),
        pos=split("The cash from selling my fund came the next day")),
    "fraud_security": dict(
        neg=split("My card never left my wallet and yet someone spent 3000 with it in another province|A man claiming to be from your bank tricked me into sending 5000|I got a payment notice at 2am for something I never bought"),
        neu=split("I lost my card, how do I block it right now|Is a text asking me to click a link for a prize from you|How can I get a text for every purchase"),
        pos=split("You stopped the scam transfer in time, thank you so much")),
    "service_quality": dict(
        neg=split("I held for forty five minutes and nobody answered|I got passed between departments and nobody owns my problem|The person on the phone knew nothing|You said someone would call back today and no one did|Way too slow|Is this really the best you can do?"),
        neu=split("How do I get straight to a person|Is the hotline open on Saturdays"),
        pos=split("")),
    "privacy_data": dict(
        neg=split("Ever since I opened the account I get sales calls every day|You handed my details to a partner company without asking me|I opted out of promotions and still get them daily"),
        neu=split("I'd like to see what information you hold on me|Can I ask you to erase my data"),
        pos=split("")),
    "praise": dict(
        neg=split(""), neu=split(""),
        pos=split("The lady who took my call was so patient with me|Mr Zhang got everything done fast, saved me a lot of hassle|Your branch manager went above and beyond|The new version of the app is much smoother")),
}

ZH_CONTEXT = split("我是你们的老客户了，|上周三我打过一次电话，|我在网点问过一次，|我之前在App上留过言，|")
ZH_ASK = split("你们看怎么处理|麻烦给我回个电话|请尽快帮我看看|能帮我查一下吗|")
ZH_THANKS = split("多谢|感谢|谢啦|好嘞谢谢你|")
EN_CONTEXT = split("I've been a customer for years.|I called about this last Wednesday.|I already asked at the branch.|")
EN_ASK = split("What are you going to do about it?|Please call me back.|Can you look into it?|")
EN_THANKS = split("Many thanks|Thanks a lot|Cheers mate|Thank you so much|")
ZH_AGENT = split("您好，很高兴为您服务。|请问您的问题是？|我先核实一下您的身份。|我这边给您提交工单。|后续会有专人联系您。")
EN_AGENT = split("Hello, you're through to customer care.|Can I take your name first?|I'll raise a ticket for you.|Someone will follow up with you.")
ZH_SLIPS = [("基金", "鸡金"), ("年费", "年非"), ("额度", "饿度"), ("退", "推"), ("验证码", "验正码"), ("身份证", "身分证"), ("保险", "保显")]
EN_SLIPS = [("card", "cart"), ("fund", "fun"), ("charge", "charged"), ("balance", "balanced"), ("account", "count")]
ZH_PASSING = {"redemption_withdrawal": "赎回的事以后再说，", "fees_interest": "费用先不管，", "refund_cancellation": "取消的事不急，",
              "fraud_security": "应该不是被盗了，"}
EN_PASSING = {"redemption_withdrawal": "Not asking about a redemption, ", "fees_interest": "Not about the fee, ",
              "refund_cancellation": "I'm not cancelling, "}
FACTS_ZH = [("我血压高，", "health.hypertension"), ("我已经退休好几年了，", "life.retired"), ("我喜欢去电影院，", "interest.film")]
FACTS_EN = [("I'm retired now, ", "life.retired"), ("I have high blood pressure, ", "health.hypertension")]

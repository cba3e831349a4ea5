# Waspada — English.
# Short sentences, one question per message. Button labels: at most 20 characters for yes/no and
# 24 for other options (WhatsApp's limits). No phone number is written here: every number lives
# in flows/contacts.yaml.

language-name = English

## General

welcome =
    Hello, this is Waspada. 👋
    I help you check a job offer abroad: whether it shows warning signs of human trafficking, and what the safe way is.
    I am not a government office. I will never message you first.
    Be careful: anyone who holds your phone can read this chat. Type "delete" at any time to erase your data.
    Need help right now? Type "help me".
menu-ask = What would you like to do? Choose one.
menu-check = Check a job offer
menu-report = Report an agent
menu-abroad = I am already abroad
menu-person = Talk to a person
menu-language = Bahasa/Language
help =
    Commands you can type at any time:
    • menu — back to the main menu
    • language — change language (Indonesia/English)
    • stop — stop the conversation
    • delete — erase all your data
    • help me — emergency numbers
    To answer, tap a button or type the number of the option.
stopped = OK, I have stopped. I will not send you anything else. Type "menu" if you want to start again.
expired = Your earlier check timed out, so the old answers were thrown away. Please start again from the menu.
error-generic = Sorry, something went wrong on our side. Please choose from the menu.
language-ask = Pilih bahasa / Choose a language:
language-set = OK, I will use English.
answer-yes = Yes
answer-no = No
answer-unknown = I don't know
not-understood-choice = Sorry, I did not understand. Tap one of the buttons, or type its number (1, 2, 3…).
not-understood-yesno = Sorry, I did not understand. Answer "yes" or "no", or tap a button.
choices-button = Choose
button-closed = That question is closed. Here is the current one:
late-reply = Sorry, your message only reached us now. Here is the current question:
# The per-person message limit: more than 30 messages in one minute. Later messages are not read
# until the pause is over, except the emergency words, "delete" and "stop".
slow-down =
    Your messages are coming very fast, so I am pausing my replies for a moment. I will not read what you send during this pause.
    Please write again in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
    In danger? Type "help me": I will still answer that, even now. "delete" also still works.
rescue = It seems we are not understanding each other. Try again, go back to the menu, or talk to a person?
rescue-retry = Try again
rescue-menu = Main menu
rescue-person = Talk to a person
media-reply = { $kind ->
    [edited] Sorry, I do not read edited messages again.
    [audio] Sorry, I cannot listen to voice messages yet.
    [image] Sorry, I cannot read pictures yet.
    [location] Thank you. I do not keep locations.
   *[other] Sorry, I can only read text messages.
} Please type your answer, or tap a button.

## Erase

erase-confirm = { $channel ->
    [telegram] Erase all your data in Waspada, and the messages of this chat as far as they can be deleted?
   *[other] Erase all your data in Waspada?
} This cannot be undone.
erase-done = { $channel ->
    [telegram] Your data has been erased. Messages older than 48 hours cannot be deleted by a bot: delete this chat yourself if you need to.
    [whatsapp] Your data in Waspada has been erased. WhatsApp does not let a bot delete messages on your phone: delete this chat yourself (press and hold the chat → Delete).
   *[other] Your data in Waspada has been erased. Close this page so the conversation cannot be seen.
}
erase-telegram-summary = Done. { $deleted } messages in this chat were deleted.{ $kept ->
    [0] {""}
   *[other] {" "}{ $kept } messages older than 48 hours could not be deleted by the bot.
} Older messages may still be there: to be safe, delete this whole chat yourself (press and hold the chat → Delete).
erase-cancelled = OK, nothing was erased.

## Emergency

emergency-intro = 🚨 If you or someone else is in danger now, contact one of the numbers below at once. In Indonesia, call the police.
emergency-numbers = Emergency numbers:

## Talk to a person

person-requested = Hotline staff can talk with you here, in this chat.
person-numbers = Numbers you can contact:

## Report an agent

report-intro = Thank you for reporting. Your report reaches the hotline staff and can warn the next person who meets the same recruiter. Every question may be answered "don't know".
report-danger = First: is someone in danger right now (locked in, threatened, hurt, or unable to leave)?
report-danger-unknown = If you have lost contact or fear for them, do not wait for the report: these numbers help now, 24 hours where marked.
report-recruiter-name = What is the name of the recruiter, agent or calo? (Type "don't know" if you don't know.)
report-recruiter-company = The name of the company or LPK, if any?
report-recruiter-phone = Their phone or WhatsApp number?
report-recruiter-social = Their social media account (Facebook, Instagram, TikTok…)?
report-recruiter-place = Which village or town are they from, or where did you meet them?
report-answer-error = Please type a short answer, or "don't know".
report-relation = Who was recruited? (A relationship, not a name.)
report-relation-child = My child
report-relation-spouse = My husband/wife
report-relation-sibling = My brother/sister
report-relation-parent = My parent
report-relation-self = Myself
report-relation-other = Someone else
report-relation-unknown = I'd rather not say
report-destination = To which country or city?
report-job = For what job?
report-happened = What happened? Choose what fits best; you can tell more next.
report-happened-documents = Passport or ID taken
report-happened-fee = Had to pay a fee or debt
report-happened-contract = No or changed contract
report-happened-visa = Tourist/visit/umrah visa
report-happened-rushed = Rushed, steps skipped
report-happened-route = Unofficial route
report-happened-scam = "Online" job, scam hub
report-happened-unlicensed = Calo or unlicensed agent
report-happened-unknown = I don't know
report-happened-other = Something else
report-happened-text = Tell in your own words what happened (or "don't know").
report-contact-allowed = May hotline staff contact you about this report?
report-contact-how = Which phone or WhatsApp number can they reach you at? (Staff see it with your report; type "don't know" to leave it out.)
report-keep = Your report will be kept by the hotline to warn the next person who names the same recruiter, and may be passed to the authorities. The warning never says who reported or what you wrote. Do you agree that we keep it?
report-not-kept = OK, your report has not been kept. You can still report directly:
report-filed = Your report number is { $id }. Please keep it: the hotline and the authorities can find your report with it.
report-numbers = Where to report:
report-want-person = Hotline staff can talk with you about this report here, in this chat.
report-done = Keep any evidence you have: the agent's name, phone number, chat screenshots and payment receipts.

## Already abroad

abroad-safe-now = Are you (or your family member) safe right now?
abroad-danger = You are not alone. Contact the numbers below now. If you can, keep a photo of your passport and contract.
abroad-numbers = Contact:
abroad-handoff = Hotline staff can help you from here, in this chat.
abroad-situation = What is happening? Choose the closest.
abroad-opt-violence = Violence or threats
abroad-opt-cannot-leave = Not allowed to leave
abroad-opt-passport = Passport taken
abroad-opt-unpaid = Wages not paid
abroad-opt-debt = Forced to repay a debt
abroad-opt-other = Something else
abroad-high = These are signs of forced labour. You have a right to help. Contact the Indonesian embassy or consulate (KBRI/KJRI) or KP2MI now.
abroad-other = The Indonesian embassy or consulate (KBRI/KJRI) and KP2MI can help with work problems abroad.

## Job-offer check

check-intro = I will ask about 12 short questions. Answer with the buttons, or type. If you do not know, choose "I don't know" — that helps too.
check-destination = Which country is the job in? The option "Cambodia/Myanmar/Laos…" also covers Thailand, the Philippines and Vietnam.
check-destination-malaysia = Malaysia/Singapore
check-destination-saudi = Saudi Arabia
check-destination-middle-east = Other Middle East
check-destination-mekong = Cambodia/Myanmar/Laos…
check-destination-east-asia = Taiwan/HK/Korea/Japan
check-destination-other = Another country
check-destination-unknown = I don't know
check-job = What is the job?
check-job-domestic = Household/carer
check-job-online-office = Admin/CS/online/crypto
check-job-fishing = Ship/fishing crew
check-job-plantation = Plantation
check-job-factory = Factory/construction
check-job-hospitality = Hotel/restaurant/shop
check-job-other = Other
check-me-channel = Who is the employer? A family (private home), or a Saudi company (syarikah) through the official SPSK programme?
check-me-channel-household = A private household
check-me-channel-spsk = Through SPSK
check-me-channel-unknown = I don't know
check-fishing-terms = Was it called an "internship" (magang), offered through friends, promised as a job on land, to a vague country, or do you have to take on a debt first?
check-recruiter = Who offered you this job?
check-recruiter-licensed = A company, I checked it
check-recruiter-company = A company, not checked
check-recruiter-individual = A person/sponsor/calo
check-recruiter-lpk = An LPK/training centre
check-recruiter-online = Only online/WhatsApp
check-recruiter-unknown = I don't know
check-visa = Which visa will you travel on?
check-visa-work = Work visa
check-visa-visit = Tourist/visit visa
check-visa-umrah = Umrah/ziarah visa
check-visa-none = No visa/sorted later
check-visa-unknown = I don't know
check-contract = Have you read and signed an employment contract in Indonesian?
check-contract-signed = Yes, signed
check-contract-foreign = Foreign language only
check-contract-later = Promised later/there
check-contract-none = No contract
check-contract-unknown = I don't know
check-fee = Have you been asked to pay?
check-fee-none = No fee
check-fee-written = Written official costs
check-fee-upfront = Yes, a big fee upfront
check-fee-loan = A loan/wage deductions
check-fee-personal = To a personal account
check-fee-unknown = I don't know
check-documents = Does an agent, a shelter (penampungan) or an employer hold your passport or ID card?
check-speed = Is it very fast? For example "leave soon", a passport ready in a few days, or waiting in a shelter while they "sort out the papers".
check-steps = Have you had (or been given a date for): a medical check, pre-departure orientation (OPP), fingerprinting at BP3MI, and BPJS Ketenagakerjaan insurance?
check-steps-all = Yes, all of them
check-steps-some = Only some
check-steps-none = None yet
check-steps-unknown = I don't know
check-falsified = Has your age or name been changed on any document, or are you under 18?
check-secrecy = Has anyone told you one of these?
check-secrecy-secret = Keep it secret/all free
check-secrecy-route = An unofficial route
check-secrecy-both = Both
check-secrecy-none = None of these

## Result

result-level-high =
    🔴 HIGH risk. This offer shows { $count ->
        [one] a warning sign
       *[other] { $count } warning signs
    } of human trafficking. Do not leave and do not pay before you talk to the hotline.
result-level-medium =
    🟠 MEDIUM risk. Some things need checking before you leave or pay anything.
result-level-low =
    🟢 LOW risk according to your answers. This is not a guarantee: still check the company in SISKOP2MI or at Disnaker, and never hand over your passport.
result-sign = { $severity ->
        [critical] 🔴
        [major] 🟠
       *[minor] 🟡
    } { $title }
    Why it matters: { $why }
    The safe way: { $safe }
result-open-intro = Find out before you go:
result-open-item = • { $text }
result-numbers = If in doubt, ask:
result-offer-person = Hotline staff can help you with this offer. They would answer you here, in this chat.
result-declined = OK. You can come back at any time. Type "menu", or "help me" if you need help.

## Warning signs

sign-visa-not-work-title = Not a work visa
sign-visa-not-work-why = Working on a tourist, visit or umrah/ziarah visa, or with no visa, breaks the rules. You can be arrested or cheated, and it is hard to get protection.
sign-visa-not-work-safe = Only travel on a work visa that is issued before you leave.
sign-no-contract-title = No clear employment contract
sign-no-contract-why = Without a written contract in Indonesian, your wage, hours, leave and insurance can be changed at will. Contracts are also swapped on the way.
sign-no-contract-safe = Ask for the employment contract and the placement agreement in Indonesian; read and sign both before you leave.
sign-unlicensed-recruiter-title = Unlicensed recruiter
sign-unlicensed-recruiter-why = An individual calo or a training centre (LPK) has no right to place workers abroad. Only placement companies with a SIP3MI licence do.
sign-unlicensed-recruiter-safe = Check the company in SISKOP2MI, at the local Disnaker or LTSA, or at the BP3MI office of your province.
sign-domestic-me-title = Household work in the Middle East outside the official route
sign-domestic-me-why = Placing household workers with private employers in the Middle East was stopped on 1 July 2015. For Saudi Arabia there is only the SPSK pilot through companies (syarikah), at no cost to the worker.
sign-domestic-me-safe = Only through the SPSK programme, and confirm at Disnaker first: the rules may have changed.
sign-scam-hub-title = "Online" job offer in Southeast Asia
sign-scam-hub-why = Many Indonesians have been tricked with well-paid admin, customer service or crypto jobs in Cambodia, Myanmar and nearby countries, then forced to scam other people.
sign-scam-hub-safe = Do not go. Report the offer to KP2MI or Kemlu.
sign-documents-held-title = Passport or ID card held
sign-documents-held-why = Holding someone's documents is a common way to control workers and a sign of forced labour.
sign-documents-held-safe = Keep your passport and ID card yourself, keep copies, and report it if they are taken.
sign-placement-fee-title = Fees or debt to leave
sign-placement-fee-why = Under BP2MI Regulation 9/2020, placement costs may not be charged to household workers, carers, plantation workers and fishing crew. A debt repaid from wages can trap you.
sign-placement-fee-safe = Ask for all costs in writing, never pay into a personal bank account, and ask BP3MI which costs may be charged (the rules can change).
sign-falsified-title = Changed documents, or under 18
sign-falsified-why = Changing an age or a name on a document is forgery. Children under 18 may not be placed as migrant workers.
sign-falsified-safe = Never accept changed documents.
sign-irregular-route-title = Unofficial route
sign-irregular-route-why = Being met by a calo at the airport, taken to a remote house, or crossing a border by an unofficial route is a trafficking pattern.
sign-irregular-route-safe = Do not go along. Contact the police or KP2MI (numbers below).
sign-rushed-title = Too fast
sign-rushed-why = Licensed agencies finish the paperwork first. "Leave soon" or a passport in a few days means steps are being skipped.
sign-rushed-safe = A proper process takes weeks, not days.
sign-steps-skipped-title = Required steps skipped
sign-steps-skipped-why = The medical check, pre-departure orientation (OPP), fingerprinting at BP3MI and BPJS Ketenagakerjaan are required. Without them you are not protected.
sign-steps-skipped-safe = Make sure every step is done before you leave.
sign-fishing-title = Warning signs for ship crew
sign-fishing-why = Fishing crews are often recruited as "interns", through friends, with a promise of work on land, or trapped by debt. At sea it is hard to get help.
sign-fishing-safe = Check that the company holds a SIP3MI licence.
sign-secrecy-title = Asked to keep it secret
sign-secrecy-why = Being told to keep it secret, that all costs are "covered", or that the border crossing is "arranged" are signs of trafficking.
sign-secrecy-safe = Tell your family your plans and check with an official office.
sign-online-only-title = Only known online
sign-online-only-why = Recruiters you only know from social media or WhatsApp, who only ask for photos of your KTP and KK, are often unlicensed.
sign-online-only-safe = Meet the recruiter at their registered office.

## What to find out

open-destination = The exact country, city and employer.
open-recruiter = Whether the company is registered and holds a SIP3MI licence: check SISKOP2MI, Disnaker, LTSA or BP3MI.
open-visa = Which visa you will use. Only a work visa is safe.
open-contract = Ask to see the employment contract in Indonesian before you pay or leave.
open-fee = All the costs, in writing. Ask BP3MI which ones may be charged.
open-steps = When the medical check, OPP orientation, fingerprinting and BPJS Ketenagakerjaan will happen.
open-me-channel = Whether it goes through the official SPSK route. Confirm at Disnaker.
open-documents = Where your passport and ID card are now. Keep them yourself; never hand them to an agent.
open-falsified = Whether the name and date of birth on all your documents are right.
open-fishing = Who owns the ship, which country it sails from, and whether the company holds a SIP3MI licence.

## Help numbers (the numbers live in flows/contacts.yaml)

contact-entry =
    📞 { $name } — { $purpose }
    { $numbers }
    { $hours }. Latest source: { $verified }.{ $recheck ->
        [yes] {" "}This number has not been re-checked recently; if it does not connect, use another number in this list.
       *[no] {""}
    }
contact-number = { $label }: { $value }
contact-label-tollfree = Toll-free
contact-label-from-abroad = From abroad
contact-label-whatsapp = WhatsApp
contact-label-phone = Phone
contact-hours-24h = 24 hours
contact-hours-kemlu = Hours not stated; each embassy (KBRI/KJRI) has its own hotline
contact-hours-sapa = Hours not stated
contact-kp2mi-name = KP2MI (formerly BP2MI)
contact-kp2mi-purpose = prospective and current migrant workers and their families
contact-polri-name = Police (Polri)
contact-polri-purpose = emergencies in Indonesia, free
contact-kemlu-name = Kemlu, citizen protection
contact-kemlu-purpose = Indonesians already abroad; the Safe Travel app also has a panic button
contact-sapa-name = SAPA 129 (KemenPPPA)
contact-sapa-purpose = violence against women and children; adult men may fall outside its remit

## Telegram command menu (npm run telegram:webhook)

telegram-command-menu = Back to the main menu
telegram-command-help = List of commands
telegram-command-language = Change language
telegram-command-erase = Erase all your data
telegram-command-stop = Stop the conversation

## Hotline staff (handoff)

handoff-consent = If you agree, the hotline staff who run this service will see your answers in this chat, the result of the check, your language, and what you write here from now on. They do not see your phone number or account name. They answer you here, in this chat. Do you agree?
handoff-unstaffed = Hotline staff cannot answer through this chat on this service. Please contact one of the numbers: they can help.
handoff-accepted = Thank you. Your conversation now goes to hotline staff; your case number follows in a moment.
handoff-declined = OK, nothing has been shared with staff.
handoff-emergency = Hotline staff have been alerted and will write to you here in this chat as soon as they can. Keep this chat open. If you are in danger now, call the numbers above. When you no longer need staff, write "done".
relay-reminder = You are talking with hotline staff now: write your message here and they will read it. To go back to the bot, write "done". In danger? Write "help me".
relay-media = Staff can only read text in this chat: they know you sent something, but they cannot see it. Please describe it in words.
relay-ended = You have ended the conversation with hotline staff. You are back with the Waspada bot.
case-opened = Your case number is #{ $id }. Hotline staff will answer you here in this chat. Please keep this number.
case-off-hours = Staff are on duty { $hours }: the answer may only come from { $next }.
case-urgent-numbers = If it is urgent, do not wait: call now (24 hours).
staff-reply =
    👤 Hotline staff:
    { $text }
case-claimed = A staff member is now looking at your case and will write to you here.
case-closed = Hotline staff have closed your case. You are back with the Waspada bot. You can always come back: write "menu".
bot-paused = Hotline staff will answer you directly now; the bot is paused.
bot-resumed = The bot is answering again. Staff can still see your messages.
telegram-command-done = End the conversation with hotline staff

## Hotline staff group on Telegram (what staff read in their group, in the default language)

staff-group-reason = { $reason ->
    [high_risk] high-risk job offer check
    [asked_for_person] asked to talk to a person
    [abroad] already abroad and needs help
    [report] report about a recruiter
    [emergency] EMERGENCY: asked for help at once
   *[other] { $reason }
  }
staff-group-priority = { $priority ->
    [urgent] 🔴 urgent
    [high] 🟠 high
   *[other] 🔵 normal
  }
staff-group-level = { $level ->
    [high] high
    [medium] medium
    [low] low
   *[other] { $level }
  }
staff-group-outcome = { $outcome ->
    [referred] referred
    [resolved] resolved
    [no_response] no response
    [duplicate] duplicate
    [spam] spam
    [erased] erased by the person
   *[other] { $outcome }
  }
staff-group-card-title = 📋 Case #{ $id }
staff-group-card-reason = Why: { $reason }
staff-group-card-priority = Priority: { $priority }
staff-group-card-level = Risk level: { $level }
staff-group-card-signs = Warning signs: { $signs }
staff-group-card-no-signs = Warning signs: none found
staff-group-card-answers = Answers:
staff-group-card-language = Language: { $lang }
staff-group-card-channel = Channel: { $channel }
staff-group-card-opened = Opened: { $time }
staff-group-card-open = Status: open, nobody has claimed it yet.
staff-group-card-claimed = Status: claimed by { $name }
staff-group-card-closed = Status: closed ({ $outcome })
staff-group-card-muted = The bot is muted: the person talks only to staff.
staff-group-card-unmuted = The bot answers the person again; staff still read along.
staff-group-card-left = The person has left the conversation with staff.
staff-group-card-help = Everything you write in this topic goes to the person. Talk among staff elsewhere.
staff-group-button-claim = ✋ Claim
staff-group-button-close = ✅ Close…
staff-group-button-mute = 🔇 Mute bot
staff-group-button-unmute = 🔊 Unmute bot
staff-group-button-back = ↩️ Back
staff-group-person =
    👤 The person:
    { $text }
staff-group-console =
    🖥 { $name } (console):
    { $text }
staff-group-claimed = ✋ Claimed by { $name }. The person has been told that someone is on it.
staff-group-closed = ✅ { $name } closed the case: { $outcome }. The person is back with the bot.
staff-group-erased = 🗑 The person erased their data: case #{ $id } is closed and its content removed.
staff-group-reminder = ⏰ Nobody has claimed this case for { $minutes } minutes. Press "Claim" and answer the person.
staff-group-reminder-urgent = 🚨 URGENT: nobody has claimed this case for { $minutes } minutes. Someone may be in danger: claim it and answer now.
staff-group-window-closed = ⚠️ Not delivered: the person's WhatsApp 24-hour window is closed. WhatsApp lets the bot write only within 24 hours of the person's last message. Send it again once they write.
staff-group-window-invite = The bot sends them an approved WhatsApp template that invites them to write back (at most once a day).
staff-group-not-delivered = ⚠️ Not delivered: { $reason }
staff-group-escalated = ⬆️ The person asked for help again; the priority is now { $priority }.
staff-group-asked-again = 🔁 The person asked for help again.
staff-group-person-left = 🚪 The person ended the conversation with staff. Your replies no longer reach them.
staff-group-person-returned = ↩️ The person is back and asked for help again.
staff-group-muted = 🔇 { $name } muted the bot: the person talks only to staff.
staff-group-unmuted = 🔊 { $name } unmuted the bot: it answers the person again, and staff still read along.
staff-group-not-sent = ⚠️ Not sent: { $reason }
staff-group-send-failed = ⚠️ Not sent: something went wrong on our side. Please try again.
staff-group-action-failed = ⚠️ That did not work: something went wrong on our side. Please try again.
staff-group-text-only = ⚠️ Not sent: only text reaches the person. Please write it in words.
staff-group-edit-not-sent = ✏️ Edits are not sent: the person only has the first version. Write a new message to correct it.
staff-group-answer-claimed = You claimed case #{ $id }.
staff-group-answer-closed = Case #{ $id } is closed.
staff-group-answer-muted = The bot is muted.
staff-group-answer-unmuted = The bot answers again.

## Recruiters: family reports and the licensed-agency register

check-recruiter-identity = What is the recruiter's phone/WhatsApp number, or the name of the agency? Type it and I will check it against reports from other families and the register of licensed agencies (other people who use this service never see it). Or type "don't know".
check-recruiter-identity-error = Please type a number or a name, or "don't know".
recruiter-reported = ⚠️ { $count } people have reported this recruiter to us. Be very careful, and talk to the hotline before you pay or sign anything.
agency-found = Found in the register of licensed agencies: { $name }, licence { $licence }, valid until { $validUntil } (register imported on { $importedAt }). A licence alone is no guarantee: the other answers still count.
agency-found-fuzzy = A similar name is in the register of licensed agencies: { $name }, licence { $licence }, valid until { $validUntil } (register imported on { $importedAt }). Check that the name is exactly the same: look-alike names are a known trick.
agency-expired = ⚠️ { $name } is in the register of licensed agencies, but its licence { $licence } expired on { $validUntil } (register imported on { $importedAt }). This is a warning sign.
agency-not-found = This name is not in the register of licensed agencies (imported on { $importedAt }). Check it in SISKOP2MI or at the local Disnaker before you go.
agency-no-register = I cannot check agencies here. Check the company in SISKOP2MI, at the local Disnaker or LTSA, or at the BP3MI office of your province.
sign-reported-recruiter-title = Recruiter reported by other people
sign-reported-recruiter-why = Several different people reported this recruiter to the hotline. Who reported, and what they wrote, stays private.
sign-reported-recruiter-safe = Do not pay or hand over documents; talk to the hotline first.
sign-agency-expired-title = Agency licence expired
sign-agency-expired-why = The agency is in the register, but its licence is no longer valid: it may not place workers now.
sign-agency-expired-safe = Only go through a placement company with a valid licence; check it in SISKOP2MI or at the local Disnaker.

## Job-ad analyser: pay far above the usual range (flows/salary-ranges.yaml)

sign-pay-too-high-title = Pay far above the usual
sign-pay-too-high-why = The pay offered is far above the official wage for this job in that country, or matches the bait pay of online-scam compounds. Pay that is too good is a common way to trap people.
sign-pay-too-high-safe = Compare it with the official wage at BP3MI or Disnaker, and ask for the pay in writing in the employment contract.

## Public ad check: POST /api/v1/assess and the /cek page (src/http/assessRoutes.ts)

assess-level-low = 🟢 LOW risk in this text. That is not a guarantee: an ad leaves out a lot. Before you pay or leave, check the company in SISKOP2MI or at Disnaker, and never hand over your passport.

## A job ad the person pasted or forwarded

ad-found-intro = { $count ->
    [one] In the offer you sent I found a warning sign:
   *[other] In the offer you sent I found { $count } warning signs:
}
ad-sign =
    ⚠️ { $title }
    "{ $evidence }"
    { $why }
ad-nothing = I read the offer you sent and found no clear warning sign in its words. That is no guarantee: the questions check what an ad does not say.
ad-continue = Now I will ask only what the offer does not say.

/**
 * The locale keys the engine itself uses (flows name their own keys in YAML). `flows:check`
 * reads this list, so a key added here must exist in every locale before the tests pass.
 */
export const K = {
  expired: 'expired',
  help: 'help',
  stopped: 'stopped',
  errorGeneric: 'error-generic',
  languageAsk: 'language-ask',
  languageSet: 'language-set',
  languageName: 'language-name',
  eraseConfirm: 'erase-confirm',
  eraseDone: 'erase-done',
  eraseCancelled: 'erase-cancelled',
  rescue: 'rescue',
  rescueRetry: 'rescue-retry',
  rescueMenu: 'rescue-menu',
  rescuePerson: 'rescue-person',
  notUnderstoodChoice: 'not-understood-choice',
  notUnderstoodYesno: 'not-understood-yesno',
  mediaReply: 'media-reply',
  answerYes: 'answer-yes',
  answerNo: 'answer-no',
  answerUnknown: 'answer-unknown',
  resultSign: 'result-sign',
  resultOpenIntro: 'result-open-intro',
  resultOpenItem: 'result-open-item',
  contactEntry: 'contact-entry',
  contactNumber: 'contact-number',
  choicesButton: 'choices-button',
  buttonClosed: 'button-closed',
  lateReply: 'late-reply',
  /** Hotline handoff: what is shared and with whom (after the flow's own offer), and the answers to it. */
  handoffConsent: 'handoff-consent',
  handoffAccepted: 'handoff-accepted',
  handoffDeclined: 'handoff-declined',
  /** After an emergency: staff have been alerted and will write here. */
  handoffEmergency: 'handoff-emergency',
  /** While connected to staff. */
  relayReminder: 'relay-reminder',
  relayMedia: 'relay-media',
  relayEnded: 'relay-ended',
  /** What staff actions sound like to the person. */
  caseOpened: 'case-opened',
  caseOffHours: 'case-off-hours',
  caseUrgentNumbers: 'case-urgent-numbers',
  staffReply: 'staff-reply',
  caseClaimed: 'case-claimed',
  caseClosed: 'case-closed',
  botPaused: 'bot-paused',
  botResumed: 'bot-resumed',
  /** Said by the Telegram channel after it deleted the chat's messages. */
  eraseTelegramSummary: 'erase-telegram-summary',
  resultLevel: { low: 'result-level-low', medium: 'result-level-medium', high: 'result-level-high' },
  /** Descriptions of Telegram's command menu (src/cli/telegramWebhook.ts). */
  telegramCommand: {
    menu: 'telegram-command-menu',
    help: 'telegram-command-help',
    language: 'telegram-command-language',
    erase: 'telegram-command-erase',
    stop: 'telegram-command-stop',
    done: 'telegram-command-done',
  },
} as const;

/** Every built-in key, flattened. */
export const BUILTIN_KEYS: readonly string[] = Object.values(K).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)));

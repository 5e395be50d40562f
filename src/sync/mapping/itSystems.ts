// The IT systems the OPUS import maintains accounts in (DIPEX's constants.Opus_it_system / AD_it_system).

/** Accounts from the dump's `userId`. */
export const OPUS_IT_SYSTEM = 'Opus';

/** Accounts from Active Directory's sAMAccountName, when `integrations.ad` is set. */
export const AD_IT_SYSTEM = 'Active Directory';

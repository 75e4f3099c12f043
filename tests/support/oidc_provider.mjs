// A real OpenID provider for the sign-in tests: the certified `oidc-provider` (npm, pinned in
// package-lock.json), with its development sign-in pages (any login and password; the login is
// the account, and its e-mail) and one confidential client, the app. The client is registered as
// a "native" application, whose loopback redirect URI matches on any port (RFC 8252, 7.3): the
// test's app servers pick their ports after the provider has started.
//
// node tests/support/oidc_provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_PATH
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectPath] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      application_type: 'native',
      redirect_uris: [`http://127.0.0.1${redirectPath}`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true };
      },
    };
  },
  cookies: { keys: ['test-only-not-a-secret'] },
  features: { devInteractions: { enabled: true } },
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

# frozen_string_literal: true

# Issue Infobip Mobile Messaging user-data JWTs with ruby-jwt.
#
# The secret signs tokens for ANY user of your app, so it lives on your backend only: never
# ship it in the mobile app (anyone can unpack an app and read it) and never commit it.
# The app asks your backend for a token after the user has signed in to your backend.
#
# Configuration (from the Infobip portal, App Profile, "JWT private keys"):
#   INFOBIP_APP_CODE    the Application Code
#   INFOBIP_JWT_KEY_ID  the key id
#   INFOBIP_JWT_SECRET  the secret as the portal shows it (hex)
#
# Run: ruby infobip_jwt.rb EXTERNAL_USER_ID   -> the token on stdout

require 'jwt'
require 'securerandom'

module InfobipJwt
  LIFETIME_SECONDS = 15 * 60

  # The HMAC key is the hex-DECODED secret. [hex].pack('H*') pads odd input and garbles bad
  # characters silently, so the text is checked first.
  def self.secret_from_hex(secret_hex)
    unless secret_hex.match?(/\A(?:[0-9a-fA-F]{2})+\z/)
      raise ArgumentError,
            'INFOBIP_JWT_SECRET must be a non-empty, even-length hex string (as the portal shows it)'
    end

    [secret_hex].pack('H*')
  end

  # The signed token for one external user id; `sub` is the id exactly as given.
  def self.user_token(external_user_id, app_code, key_id, key)
    now = Time.now.to_i # integer seconds: Time.now.to_f would be fractional
    claims = {
      'typ' => 'Bearer',
      'sub' => external_user_id,
      'infobip-api-key' => app_code,
      'iat' => now,
      'exp' => now + LIFETIME_SECONDS,
      'jti' => SecureRandom.uuid,
      'iss' => app_code
    }
    # ruby-jwt writes no typ header unless given: both SDKs refuse a token without it.
    JWT.encode(claims, key, 'HS256', { typ: 'JWT', kid: key_id })
  end
end

if $PROGRAM_NAME == __FILE__
  if ARGV.length != 1
    warn 'usage: ruby infobip_jwt.rb EXTERNAL_USER_ID'
    exit 2
  end
  config = %w[INFOBIP_APP_CODE INFOBIP_JWT_KEY_ID INFOBIP_JWT_SECRET].map do |name|
    ENV.fetch(name) do
      warn "error: #{name} is not set"
      exit 2
    end
  end
  begin
    key = InfobipJwt.secret_from_hex(config[2])
  rescue ArgumentError => e
    warn "error: #{e.message}"
    exit 1
  end
  # The argument as given, as UTF-8 (the locale may say otherwise).
  user_id = ARGV[0].dup.force_encoding(Encoding::UTF_8)
  $stdout.write(InfobipJwt.user_token(user_id, config[0], config[1], key), "\n")
end

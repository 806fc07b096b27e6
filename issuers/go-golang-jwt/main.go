// Issue Infobip Mobile Messaging user-data JWTs with golang-jwt (v4).
//
// The secret signs tokens for ANY user of your app, so it lives on your backend only: never
// ship it in the mobile app (anyone can unpack an app and read it) and never commit it.
// The app asks your backend for a token after the user has signed in to your backend.
//
// Configuration (from the Infobip portal, App Profile, "JWT private keys"):
//   INFOBIP_APP_CODE    the Application Code
//   INFOBIP_JWT_KEY_ID  the key id
//   INFOBIP_JWT_SECRET  the secret as the portal shows it (hex)
//
// Build and run: go build -o infobip-jwt . && ./infobip-jwt EXTERNAL_USER_ID   -> the token on stdout
package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

const lifetime = 15 * time.Minute

// SecretFromHex decodes the portal's hex secret: the HMAC key is the DECODED bytes, never the text.
func SecretFromHex(secretHex string) ([]byte, error) {
	key, err := hex.DecodeString(secretHex)
	if err != nil || len(key) == 0 {
		return nil, errors.New("INFOBIP_JWT_SECRET must be a non-empty, even-length hex string (as the portal shows it)")
	}
	return key, nil
}

// userClaims keeps the claims in one struct: jwt.NewNumericDate writes integer seconds, where
// MapClaims{"exp": time.Time} would write an RFC 3339 string.
type userClaims struct {
	Typ    string `json:"typ"`
	APIKey string `json:"infobip-api-key"`
	jwt.RegisteredClaims
}

// InfobipUserToken signs the token for one external user id; `sub` is the id exactly as given.
func InfobipUserToken(externalUserID, appCode, keyID string, key []byte) (string, error) {
	jti, err := uuidV4()
	if err != nil {
		return "", err
	}
	now := time.Now().Truncate(time.Second)
	claims := userClaims{
		Typ:    "Bearer",
		APIKey: appCode,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   externalUserID,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(lifetime)),
			ID:        jti,
			Issuer:    appCode,
		},
	}
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims) // writes typ "JWT"
	token.Header["kid"] = keyID
	return token.SignedString(key)
}

func uuidV4() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: infobip-jwt EXTERNAL_USER_ID")
		os.Exit(2)
	}
	var config [3]string
	for i, name := range []string{"INFOBIP_APP_CODE", "INFOBIP_JWT_KEY_ID", "INFOBIP_JWT_SECRET"} {
		value, ok := os.LookupEnv(name)
		if !ok {
			fmt.Fprintf(os.Stderr, "error: %s is not set\n", name)
			os.Exit(2)
		}
		config[i] = value
	}
	key, err := SecretFromHex(config[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	token, err := InfobipUserToken(os.Args[1], config[0], config[1], key)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Println(token)
}

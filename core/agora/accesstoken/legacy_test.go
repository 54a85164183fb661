package accesstoken_test

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
)

// repack006 writes t back as a 006 token with the given CRC32 fields,
// keeping its signature and signed message.
func repack006(t *accesstoken.Legacy006, crcChannel, crcUID uint32) string {
	var b []byte
	b = binary.LittleEndian.AppendUint16(b, uint16(len(t.Signature)))
	b = append(b, t.Signature...)
	b = binary.LittleEndian.AppendUint32(b, crcChannel)
	b = binary.LittleEndian.AppendUint32(b, crcUID)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(t.Message)))
	b = append(b, t.Message...)
	return accesstoken.LegacyVersion + t.AppID + base64.StdEncoding.EncodeToString(b)
}

// TestLegacy006DoesNotBindChannelAndUID shows the vendor flaw the
// documentation of Legacy006 describes: the signature covers channel and
// uid concatenated, and the CRC32 fields are outside it, so a vendor token
// for (channel, uid) also verifies for any other split of the same bytes,
// the wildcard uid 0 ("") included.
func TestLegacy006DoesNotBindChannelAndUID(t *testing.T) {
	v := loadVectors(t)
	tested := 0
	for _, c := range v.Legacy {
		in := c.Inputs
		if in.UID == "" {
			continue
		}
		tested++
		tok, err := accesstoken.ParseLegacy006(c.Expected["go_tokenbuilder_v1.0.0"])
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		if err := tok.VerifySignature(in.Cert, in.Channel, in.UID); err != nil {
			t.Fatalf("%s: the vendor token does not verify: %v", c.ID, err)
		}
		joined := in.Channel + in.UID
		for _, split := range []struct{ channel, uid string }{
			{joined[:len(in.Channel)+1], joined[len(in.Channel)+1:]}, // one uid digit moved into the channel
			{joined, ""}, // uid 0: any uid may join
		} {
			moved := repack006(tok, crc32.ChecksumIEEE([]byte(split.channel)), crc32.ChecksumIEEE([]byte(split.uid)))
			p := accesstoken.VerifyParams{AppID: in.AppID, Certificates: []string{in.Cert}, Channel: &split.channel, UID: &split.uid}
			if _, err := accesstoken.VerifyLegacy006(moved, p); err != nil {
				t.Fatalf("%s: the token moved to channel %q uid %q no longer verifies (%v): the flaw is gone, update the documentation", c.ID, split.channel, split.uid, err)
			}
		}
	}
	if tested == 0 {
		t.Fatal("no 006 vector with a uid")
	}
}

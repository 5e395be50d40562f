// Danish word lists for synthetic dumps: people, places, units, job titles and roles. Every character is
// in ISO-8859-1, so the same data can be written in either encoding OPUS uses. A few entries carry
// `&`, `"`, `'`, `<` or `>` on purpose, so every dump exercises XML escaping.

export const FEMALE_FIRST_NAMES = [
  'Anne', 'Mette', 'Kirsten', 'Hanne', 'Susanne', 'Lene', 'Maria', 'Marianne', 'Camilla', 'Louise',
  'Charlotte', 'Pia', 'Tina', 'Lone', 'Bente', 'Gitte', 'Karen', 'Helle', 'Julie', 'Sofie', 'Ida',
  'Emma', 'Freja', 'Signe', 'Line', 'Maja', 'Cecilie', 'Katrine', 'Rikke', 'Trine', 'Stine', 'Birgitte',
  'Dorthe', 'Inger', 'Jytte', 'Else', 'Grethe', 'Lærke', 'Søs', 'Åse', 'Agnete', 'Malene', 'Nanna',
  'Tove', 'Ulla', 'Vibeke', 'Zenia', 'Ellen', 'Astrid', 'Ingrid', 'Bodil', 'Hélène', 'Anne Sofie',
  'Marie Louise', 'Ann-Britt', 'Birthe', 'Solveig', 'Ditte', 'Ella',
] as const;

export const MALE_FIRST_NAMES = [
  'Jens', 'Peter', 'Lars', 'Michael', 'Henrik', 'Søren', 'Thomas', 'Jan', 'Niels', 'Christian',
  'Martin', 'Morten', 'Anders', 'Rasmus', 'Jesper', 'Mads', 'Hans', 'Kim', 'Ole', 'Per', 'Poul',
  'Torben', 'Bjørn', 'Jørgen', 'Jørn', 'Bent', 'Erik', 'Frederik', 'Mikkel', 'Kasper', 'Jakob',
  'Emil', 'Oliver', 'William', 'Magnus', 'Malthe', 'Oskar', 'Asger', 'Aksel', 'Øjvind', 'Åge',
  'Kåre', 'Bo', 'Claus', 'Flemming', 'Finn', 'Gunnar', 'Steen', 'Svend', 'Troels', 'Ulrik', 'Villads',
  'Jens Peter', 'Hans Christian', 'Carl-Emil', 'René', 'André', 'Preben', 'Knud',
] as const;

export const LAST_NAMES = [
  'Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen',
  'Rasmussen', 'Jørgensen', 'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen',
  'Poulsen', 'Johansen', 'Møller', 'Mortensen', 'Knudsen', 'Jakobsen', 'Mikkelsen', 'Frederiksen',
  'Henriksen', 'Lund', 'Holm', 'Schmidt', 'Eriksen', 'Kristiansen', 'Clausen', 'Simonsen', 'Svendsen',
  'Andreasen', 'Iversen', 'Jeppesen', 'Vestergaard', 'Nørgaard', 'Østergaard', 'Søndergaard', 'Bøgh',
  'Kjær', 'Højgaard', 'Dahl', 'Bach', 'Lauridsen', 'Damgaard', 'Skov', 'Krog', 'Bak', 'Friis',
  'Æbelø', 'Ørum', 'Ågaard', 'Bødker', 'Thygesen', 'Kjeldsen', 'Brøndum', 'Fløe', 'Grøn', 'Hyldgaard',
  'Mølgaard', 'Sønderby', 'Skytte', 'Winther', 'Juhl', 'Koch', 'Lindholm', 'Villadsen', 'Ahmed',
  'Hussein', 'Yilmaz', 'Nguyen', 'Kowalski', "O'Brien", "D'Souza", 'Bjerre-Poulsen', 'Munk Hansen',
] as const;

export const STREETS = [
  'Paradisæblevej', 'Bøgevej', 'Ågade', 'Skovbrynet', 'Kirkevej', 'Søndergade', 'Østergade',
  'Vestergade', 'Nørregade', 'Møllevej', 'Hørvænget', 'Fælledvej', 'Æblehaven', 'Åbakken', 'Ørnevej',
  'Stationsvej', 'Skolevej', 'Engvej', 'Birkevej', 'Egevej', 'Rønnebærvej', 'Kløvervænget', 'Lærkevej',
  'Solsortevej', 'Grønnegade', 'Torvet', 'Havnegade', 'Strandvejen', 'Præstegårdsvej', 'Bakkedraget',
  'Vængevej', 'Højvangen', 'Kastanie Allé', 'Lindealléen', 'Gl. Landevej', 'Kongensgade', 'Dronningensgade',
  'Søbredden', 'Tværgade', 'Smedestræde', 'Bryggerstræde', 'Fiskerlejet', 'Mosevej', 'Tranevej',
  'Hybenvænget', 'Rosenvænget', 'Byagervej', 'Gadekæret', 'Kærvej', 'Spurvevej',
] as const;

export interface Municipality {
  name: string;
  /** Postal codes and towns inside the municipality: units and most residents are here. */
  towns: readonly (readonly [zip: string, city: string])[];
}

export const MUNICIPALITIES: readonly Municipality[] = [
  { name: 'Skanderborg', towns: [['8660', 'Skanderborg'], ['8680', 'Ry'], ['8362', 'Hørning'], ['8670', 'Låsby']] },
  { name: 'Silkeborg', towns: [['8600', 'Silkeborg'], ['8653', 'Them'], ['8883', 'Gjern'], ['8620', 'Kjellerup']] },
  { name: 'Sønderborg', towns: [['6400', 'Sønderborg'], ['6430', 'Nordborg'], ['6440', 'Augustenborg'], ['6470', 'Sydals']] },
  { name: 'Næstved', towns: [['4700', 'Næstved'], ['4160', 'Herlufmagle'], ['4171', 'Glumsø'], ['4250', 'Fuglebjerg']] },
  { name: 'Frederikshavn', towns: [['9900', 'Frederikshavn'], ['9990', 'Skagen'], ['9981', 'Jerup'], ['9970', 'Strandby']] },
  { name: 'Vordingborg', towns: [['4760', 'Vordingborg'], ['4780', 'Stege'], ['4720', 'Præstø'], ['4773', 'Stensved']] },
  { name: 'Tønder', towns: [['6270', 'Tønder'], ['6280', 'Højer'], ['6240', 'Løgumkloster'], ['6780', 'Skærbæk']] },
  { name: 'Ærø', towns: [['5970', 'Ærøskøbing'], ['5960', 'Marstal'], ['5985', 'Søby Ærø']] },
];

/** Towns people commute from, outside any one municipality. */
export const OTHER_TOWNS = [
  ['8000', 'Aarhus C'], ['2100', 'København Ø'], ['5000', 'Odense C'], ['9000', 'Aalborg'],
  ['6700', 'Esbjerg'], ['7100', 'Vejle'], ['8700', 'Horsens'], ['8900', 'Randers C'], ['4600', 'Køge'],
  ['3400', 'Hillerød'], ['6200', 'Aabenraa'], ['8800', 'Viborg'], ['7400', 'Herning'], ['4300', 'Holbæk'],
  ['2630', 'Taastrup'], ['4230', 'Skælskør'], ['7160', 'Tørring'], ['6870', 'Ølgod'], ['2970', 'Hørsholm'],
] as const;

/** orgType/orgTypeTxt by depth in the tree (root = 0). */
export const ORG_TYPES = [
  ['00000', 'Organisation'], ['00001', 'Direktion'], ['00002', 'Center'], ['00003', 'Afdeling'],
  ['00004', 'Institution'], ['00005', 'Team'],
] as const;

export interface Position {
  id: string;
  title: string;
  short: string;
  /** Pay grade ("lønramme") the title is usually paid at. */
  grade: number;
}

export const POSITIONS: readonly Position[] = [
  { id: '1010', title: 'Pædagog', short: 'PÆD', grade: 31 },
  { id: '1011', title: 'Pædagogmedhjælper', short: 'PÆDMH', grade: 20 },
  { id: '1012', title: 'Pædagogisk assistent', short: 'PÆDAS', grade: 24 },
  { id: '1020', title: 'Lærer', short: 'LÆR', grade: 33 },
  { id: '1021', title: 'Skolepædagog', short: 'SKPÆD', grade: 31 },
  { id: '1030', title: 'Sygeplejerske', short: 'SPL', grade: 32 },
  { id: '1031', title: 'Social- og sundhedsassistent', short: 'SSA', grade: 26 },
  { id: '1032', title: 'Social- og sundhedshjælper', short: 'SSH', grade: 22 },
  { id: '1033', title: 'Ergoterapeut', short: 'ERGO', grade: 32 },
  { id: '1034', title: 'Fysioterapeut', short: 'FYS', grade: 32 },
  { id: '1035', title: 'Sundhedsplejerske', short: 'SUPL', grade: 33 },
  { id: '1036', title: 'Tandlæge', short: 'TANDL', grade: 45 },
  { id: '1037', title: 'Tandklinikassistent', short: 'TKA', grade: 23 },
  { id: '1040', title: 'Socialrådgiver', short: 'SOCR', grade: 33 },
  { id: '1041', title: 'Sagsbehandler', short: 'SAGSB', grade: 31 },
  { id: '1050', title: 'Konsulent', short: 'KONS', grade: 36 },
  { id: '1051', title: 'Specialkonsulent', short: 'SPKONS', grade: 39 },
  { id: '1052', title: 'Fuldmægtig', short: 'FULDM', grade: 30 },
  { id: '1053', title: 'Kontorelev', short: 'KTELEV', grade: 10 },
  { id: '1054', title: 'Administrativ medarbejder', short: 'ADM', grade: 24 },
  { id: '1055', title: 'IT-medarbejder', short: 'IT', grade: 34 },
  { id: '1060', title: 'Ingeniør', short: 'ING', grade: 38 },
  { id: '1061', title: 'Vejmand', short: 'VEJM', grade: 21 },
  { id: '1062', title: 'Gartner', short: 'GART', grade: 21 },
  { id: '1063', title: 'Chauffør', short: 'CHAUF', grade: 20 },
  { id: '1064', title: 'Håndværker', short: 'HÅNDV', grade: 24 },
  { id: '1070', title: 'Bibliotekar', short: 'BIBL', grade: 32 },
  { id: '1071', title: 'Musiklærer', short: 'MUSL', grade: 32 },
  { id: '1072', title: 'Svømmeinstruktør', short: 'SVØM', grade: 22 },
  { id: '1080', title: 'Rengøringsassistent', short: 'RENG', grade: 15 },
  { id: '1081', title: 'Ernæringsassistent', short: 'ERN', grade: 19 },
  { id: '1082', title: 'Køkkenleder', short: 'KØKL', grade: 28 },
  { id: '1083', title: 'Servicemedarbejder', short: 'SERV', grade: 18 },
];

/** Titles of managers by the depth of the unit they lead (deeper units use the last one). */
export const MANAGER_POSITIONS: readonly Position[] = [
  { id: '2000', title: 'Kommunaldirektør', short: 'KOMDIR', grade: 60 },
  { id: '2001', title: 'Direktør', short: 'DIR', grade: 55 },
  { id: '2002', title: 'Centerchef', short: 'CCHEF', grade: 50 },
  { id: '2003', title: 'Afdelingsleder', short: 'AFDL', grade: 45 },
  { id: '2004', title: 'Institutionsleder', short: 'INSTL', grade: 42 },
  { id: '2005', title: 'Teamleder', short: 'TEAML', grade: 38 },
];

/** Every title a record may carry, in one list so a position is one small integer in the model. */
export const ALL_POSITIONS: readonly Position[] = [...POSITIONS, ...MANAGER_POSITIONS];

const byTitle = (...titles: string[]): number[] =>
  titles.map((title) => {
    const i = ALL_POSITIONS.findIndex((p) => p.title === title);
    if (i < 0) throw new Error(`unknown position ${title}`);
    return i;
  });

/** What a part of the municipality is called and does, from directorate down to teams. */
export interface Profile {
  directorates: readonly string[];
  centers: readonly string[];
  departments: readonly string[];
  institutionKinds: readonly string[];
  /** Indices into ALL_POSITIONS, repeated for weight. */
  positions: readonly number[];
}

const OFFICE = byTitle('Konsulent', 'Fuldmægtig', 'Administrativ medarbejder', 'Specialkonsulent', 'Kontorelev');

export const PROFILES: readonly Profile[] = [
  {
    directorates: ['Børn og Unge', 'Dagtilbud og Skole'],
    centers: ['Center for Dagtilbud', 'Dagtilbud Nord', 'Dagtilbud Syd', 'Center for Skole', 'PPR', 'Familie & Børn'],
    departments: ['Område Nord', 'Område Syd', 'Område Øst', 'Område Vest', 'Distrikt Midt', 'Børn < 6 år', 'Unge > 14 år'],
    institutionKinds: ['Børnehave', 'Vuggestue', 'Børnehus', 'Skole', 'SFO', 'Fritidsklub', 'Dagpleje'],
    positions: [...byTitle('Pædagog', 'Pædagog', 'Pædagog', 'Pædagogmedhjælper', 'Pædagogmedhjælper', 'Pædagogisk assistent', 'Lærer', 'Lærer', 'Lærer', 'Skolepædagog', 'Rengøringsassistent', 'Sundhedsplejerske'), ...OFFICE],
  },
  {
    directorates: ['Social og Sundhed', 'Sundhed & Omsorg'],
    centers: ['Center for Ældre', 'Center for Handicap & Psykiatri', 'Myndighed Voksne', 'Center for Sundhed', 'Træning og Rehabilitering'],
    departments: ['Hjemmeplejen Nord', 'Hjemmeplejen Syd', 'Visitation', 'Sygeplejen', 'Voksne > 18 år', 'Område Øst', 'Myndighed'],
    institutionKinds: ['Plejecenter', 'Ældrecenter', 'Bosted', 'Aktivitetscenter', 'Sundhedscenter', 'Tandpleje', 'Træningscenter'],
    positions: [...byTitle('Social- og sundhedsassistent', 'Social- og sundhedsassistent', 'Social- og sundhedshjælper', 'Social- og sundhedshjælper', 'Social- og sundhedshjælper', 'Sygeplejerske', 'Sygeplejerske', 'Ergoterapeut', 'Fysioterapeut', 'Tandlæge', 'Tandklinikassistent', 'Ernæringsassistent', 'Køkkenleder', 'Socialrådgiver'), ...OFFICE],
  },
  {
    directorates: ['Teknik og Miljø', 'By, Land & Kultur'],
    centers: ['Center for Vej & Park', 'Center for Natur & Miljø', 'Byggeri og Ejendomme', 'Plan og Byg'],
    departments: ['Driftsafdelingen', 'Vej og Trafik', 'Natur', 'Ejendomsservice', 'Byggesag', 'Miljø & Klima'],
    institutionKinds: ['Materielgård', 'Genbrugsplads', 'Renseanlæg', 'Vejdepot', 'Naturcenter'],
    positions: [...byTitle('Vejmand', 'Vejmand', 'Gartner', 'Gartner', 'Chauffør', 'Håndværker', 'Håndværker', 'Ingeniør', 'Servicemedarbejder'), ...OFFICE],
  },
  {
    directorates: ['Kultur & Fritid', 'Kultur og Borgerservice'],
    centers: ['Center for Kultur', 'Fritid & Idræt', 'Biblioteker', 'Musik og Kunst'],
    departments: ['Biblioteksbetjening', 'Idrætsfaciliteter', 'Kulturformidling', 'Borgerservice'],
    institutionKinds: ['Bibliotek', 'Musikskole', 'Svømmehal', 'Idrætscenter', 'Kulturhus'],
    positions: [...byTitle('Bibliotekar', 'Bibliotekar', 'Musiklærer', 'Svømmeinstruktør', 'Servicemedarbejder', 'Rengøringsassistent'), ...OFFICE],
  },
  {
    directorates: ['Økonomi og Personale', 'Beskæftigelse og Integration', 'Kommunaldirektørens Område'],
    centers: ['Center for Økonomi', 'HR og Løn', 'IT og Digitalisering', 'Jobcenter', 'Borgerservice'],
    departments: ['Løn & Personale', 'Budget og Regnskab', 'IT-drift', 'Sekretariatet', 'Ydelser', 'Jobservice'],
    institutionKinds: ['Ydelseskontor', 'Jobcenter', 'Servicecenter', 'Lønkontor', 'Sprogcenter'],
    positions: [...OFFICE, ...OFFICE, ...byTitle('IT-medarbejder', 'Socialrådgiver', 'Sagsbehandler', 'Sagsbehandler')],
  },
];

/** Names that give an institution its identity ("Solsikken Børnehave"). */
export const INSTITUTION_NAMES = [
  'Solsikken', 'Mælkebøtten', 'Skovbrynet', 'Regnbuen', 'Troldehøjen', 'Æblehaven', 'Fyrtårnet',
  'Kastanjehuset', 'Bøgely', 'Søhøj', 'Engly', 'Lærkereden', 'Spiren', 'Humlebien', 'Møllehuset',
  'Stjernehuset', 'Egely', 'Rosenhaven', 'Højvang', 'Kildevang', 'Østervang', 'Nørrebo', 'Ågården',
  'Birkely', 'Havbrisen', 'Tusindfryd', 'Skovtrolden', 'Blåbærhuset', 'Hyldebærret', 'Kløverbakken',
  'Ørnereden', 'Åkanden', 'Strandgården', 'Lindegården', 'Sønderskov', 'Vestervang', 'Kirkebakken',
  'Fuglereden', 'Bakkehuset', 'Hestehaven',
] as const;

/** Sub-units of institutions (the deepest level). */
export const TEAMS = [
  'Rød stue', 'Grøn stue', 'Blå gruppe', 'Køkken', 'Team Dag', 'Team Aften', 'Nattevagt', 'Afdeling A',
  'Afdeling B', 'Indskoling', 'Mellemtrin', 'Udskoling', 'Værksted', 'Administration', 'Team Øst & Vest',
] as const;

/** `function` roles: artText, and the roleText values that may go with it. */
export const FUNCTIONS = [
  { art: 'Tillidsrepræsentant', roles: ['FOA', 'BUPL', 'HK Kommunal', 'DSR', 'Dansk Socialrådgiverforening', 'DLF', '3F'] },
  { art: 'Arbejdsmiljørepræsentant', roles: ['Lokal-MED', 'Område-MED'] },
  { art: 'Sikkerhedsleder', roles: [] },
  { art: 'Suppleant for tillidsrepræsentant', roles: ['FOA', 'HK Kommunal'] },
  { art: 'Førstehjælper', roles: [] },
  { art: 'Brandansvarlig', roles: [] },
  { art: 'Praktikvejleder', roles: ['Pædagogstuderende', 'SOSU-elever'] },
  { art: 'MED-udvalgsmedlem', roles: ['Hovedudvalg', 'Område-MED', 'Lokal-MED'] },
  { art: 'Superbruger', roles: ['KMD Opus', 'Fagsystem & journal'] },
] as const;

/** workContract code and text. */
export const CONTRACTS = [
  ['01', 'Månedsløn'], ['02', 'Timeløn'], ['08', 'Ansat'], ['11', 'Elev'], ['03', 'Tjenestemand'], ['05', 'Vikar'],
] as const;

/** Weights of CONTRACTS for a new employment. */
export const CONTRACT_WEIGHTS = [60, 12, 14, 3, 6, 5] as const;

const slugs = new Map<string, string>();

/** `Søren Ørum` → `soerenoerum`: for the local part of a work e-mail address (memoised: names repeat). */
export function emailSlug(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    slug = text
      .toLowerCase()
      .replace(/æ/g, 'ae')
      .replace(/ø/g, 'oe')
      .replace(/å/g, 'aa')
      .normalize('NFD')
      .replace(/[^a-z0-9]/g, '');
    if (slugs.size < 10_000) slugs.set(text, slug);
  }
  return slug;
}

/** `Solsikken Børnehave` → `SOLS.BØRN`: OPUS short names are upper-case abbreviations. */
export function abbreviate(name: string): string {
  const words = name.split(/[\s,&<>"'-]+/).filter((w) => w.length > 0 && !['og', 'for', 'i', 'af'].includes(w));
  return words
    .slice(0, 2)
    .map((w) => w.slice(0, 4).toUpperCase())
    .join('.');
}
